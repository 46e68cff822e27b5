// What every room of the desk screen shares: the desk as last read, the
// call shown, the language, and the helpers that render errors and run a
// command that returns the call. State lives in the backend; every command
// returns the call as saved, and the screen re-renders from that.
import type { CallView, DeskState, Language } from "./bindings";
import { DeskError } from "./api";
import { $ } from "./dom";
import { dict, errorText } from "./i18n";
import * as auth from "./auth";

export const s = {
  desk: undefined as unknown as DeskState,
  /** The open call, or the one just closed. */
  view: null as CallView | null,
  lang: "zh-CN" as Language,
};

export const t = () => dict(s.lang);
export const open = () => s.view !== null && s.view.call.state !== "closed";
export const labelOf = (key: string): string | undefined =>
  s.desk.phrases[s.lang === "en" ? "en" : "zh"].elements.find((e) => e.key === key)?.label ??
  (t().complaint as Record<string, string>)[key];

export function showError(e: unknown, where?: HTMLElement) {
  // Locked by the backend's idle check, or signed out: show the PIN screen.
  if (e instanceof DeskError && (e.detail.code === "LOCKED" || e.detail.code === "SIGN_IN_REQUIRED")) void auth.refresh();
  const msg = e instanceof DeskError ? errorText(s.lang, e.detail, labelOf) : String(e);
  const toast = $("toast");
  toast.textContent = msg;
  toast.hidden = false;
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.hidden = true), 6000));
  if (where) where.textContent = msg;
}

/** The backend's "no call is open", for keys pressed with none. */
export const noCall = () => new DeskError({ code: "NO_ACTIVE_CALL", message: "", field: null, limit: null, missing: [] });
