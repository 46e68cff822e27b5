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

/** mm:ss (or h:mm:ss) since `from`. */
export function clock(fromIso: string, to = Date.now()): string {
  const s = Math.max(0, Math.floor((to - Date.parse(fromIso)) / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function hhmm(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}:${String(d.getSeconds()).padStart(2, "0")}`;
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
