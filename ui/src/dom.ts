// Tiny DOM helpers: the screen is built once and updated in place, so a
// field being typed in is never replaced under the call-taker's fingers.

export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
}

export function input(id: string): HTMLInputElement {
  return $(id) as HTMLInputElement;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

export function text(id: string, value: string) {
  const el = $(id);
  if (el.textContent !== value) el.textContent = value;
}

/** The desk clock minus this machine's clock, from the backend's `now`. */
let skewMs = 0;
export function syncClock(backendNowIso: string) {
  skewMs = Date.parse(backendNowIso) - Date.now();
}

/** Now by the desk's clock (which a training desk may have set). */
export function nowMs(): number {
  return Date.now() + skewMs;
}

/** mm:ss (or h:mm:ss) since `from`. */
export function clock(fromIso: string, to = nowMs()): string {
  const s = Math.max(0, Math.floor((to - Date.parse(fromIso)) / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Times are shown in the station's zone (a setting, Asia/Shanghai by
 * default), never in whatever zone the PC happens to be set to.
 */
let zone = "Asia/Shanghai";
export function setZone(tz: string) {
  zone = tz;
}

function parts(iso: string): Record<string, string> {
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  return Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** HH:MM:SS in the station's zone. */
export function hhmm(iso: string): string {
  const p = parts(iso);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** YYYY-MM-DD HH:MM in the station's zone. */
export function dateTime(iso: string): string {
  const p = parts(iso);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * A datetime-local value read in the station's zone: find the UTC instant
 * whose station wall clock matches (two passes settle any zone offset).
 */
export function fromLocalInput(v: string): Date {
  const wanted = Date.parse(`${v}:00Z`);
  if (isNaN(wanted)) return new Date(NaN);
  let t = wanted;
  for (let i = 0; i < 2; i++) t += wanted - Date.parse(`${localInput(new Date(t))}:00Z`);
  return new Date(t);
}

/** The station-zone wall clock of `now`, for a datetime-local input. */
export function localInput(now: Date): string {
  const p = parts(now.toISOString());
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Saves a text field as the user types: debounced while typing, at once on
 * Enter or leaving the field, one save at a time and always the latest
 * text. A failed save keeps the text in the field and shows why.
 */
export type SaveStatus = "saving" | "saved" | "clear" | { error: unknown };

export class FieldSaver {
  private timer: number | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastSaved: string | null = null;
  /** The text in the field was refused; keep it until fixed or a new call. */
  private failed = false;

  constructor(
    private el: HTMLInputElement | HTMLTextAreaElement,
    private save: (value: string) => Promise<void>,
    private status: (state: SaveStatus) => void,
  ) {
    el.addEventListener("input", () => {
      status("saving");
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.flush(), 300);
    });
    el.addEventListener("blur", () => void this.flush());
  }

  /** Resolves true when the field's current text is saved. */
  async flush(): Promise<boolean> {
    window.clearTimeout(this.timer);
    const value = this.el.value;
    let ok = true;
    this.running = this.running.then(async () => {
      if (value === this.lastSaved) return;
      try {
        await this.save(value);
        this.lastSaved = value;
        this.failed = false;
        if (this.el.value === value) this.status("saved");
      } catch (error) {
        ok = false;
        this.failed = true;
        this.status({ error });
      }
    });
    await this.running;
    return ok;
  }

  /**
   * The database holds `value`. Refused text stays in the field (so nothing
   * typed is lost) unless `force`, for a different call.
   */
  reset(value: string, force = false) {
    if (this.failed && !force) return;
    this.failed = false;
    window.clearTimeout(this.timer);
    if (this.lastSaved !== value || this.el.value !== value) this.status("clear");
    this.lastSaved = value;
    this.el.value = value;
  }
}
