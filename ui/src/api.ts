// Unwraps the generated bindings' result objects: a command either returns
// its data or throws a DeskError carrying the backend's {code, message}.
import { commands, type AppError } from "./bindings";

export class DeskError extends Error {
  constructor(public readonly detail: AppError) {
    super(detail.message);
  }
}

type Cmds = typeof commands;
type Data<F> = F extends (...a: never[]) => Promise<infer R> ? (R extends { status: "ok"; data: infer D } ? D : never) : never;

/** Calls a command; Tauri-level failures (not our AppError) become INTERNAL. */
export async function call<K extends keyof Cmds>(name: K, ...args: Parameters<Cmds[K]>): Promise<Data<Cmds[K]>> {
  let r;
  try {
    r = await (commands[name] as (...a: unknown[]) => Promise<{ status: string; data?: unknown; error?: AppError }>)(...args);
  } catch (e) {
    throw new DeskError({ code: "INTERNAL", message: String(e), field: null, limit: null, missing: [] });
  }
  if (r.status === "error") throw new DeskError(r.error as AppError);
  return r.data as Data<Cmds[K]>;
}
