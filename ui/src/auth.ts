// Sign-in, unlock and the idle lock. The backend decides (every command
// checks the session); this screen only asks for the PIN and counts idle
// minutes so the lock shows at once rather than on the next keystroke.
import type { Language, SessionView } from "./bindings";
import { call, DeskError } from "./api";
import { $, input, text } from "./dom";
import { errorText } from "./i18n";
import { rdict } from "./review-text";

let session: SessionView;
let lastInput = Date.now();
let ctx: { lang: () => Language; signedIn: () => Promise<void> };
type Mode = "sign_in" | "unlock" | "first_run";
let mode: Mode = "sign_in";

const r = () => rdict(ctx.lang()).r;

export function current(): SessionView {
  return session;
}

export function isLead(): boolean {
  return session.user?.role === "lead" && !session.locked;
}

function showMsg(e: unknown) {
  const msg = e instanceof DeskError ? errorText(ctx.lang(), e.detail, () => undefined) : String(e);
  text("auth-msg", msg);
}

/** Shows the screen that fits the session, or the desk when signed in. */
function render() {
  const ok = session.user !== null && !session.locked;
  document.body.dataset.auth = ok ? "ok" : session.locked ? "locked" : "signed_out";
  $("auth").hidden = ok;
  const who = session.user;
  text("user-name", who ? `${who.name} ${who.id}` : "");
  text("user-role", who ? rdict(ctx.lang()).role[who.role] : "");
  $("review-btn").hidden = !isLead();
  if (ok) return;
  // What the last user was told is not the next one's business.
  $("toast").hidden = true;
  mode = session.firstRun ? "first_run" : session.locked && who ? "unlock" : "sign_in";
  const d = r();
  text("auth-title", mode === "first_run" ? d.firstRun : mode === "unlock" ? d.unlockTitle : d.signInTitle);
  text("auth-hint", mode === "first_run" ? d.firstHint : mode === "unlock" ? d.unlockHint.replace("{name}", who!.name) : "");
  text("auth-id-label", d.id);
  text("auth-name-label", d.name);
  text("auth-pin-label", d.pin);
  text("auth-pin2-label", d.pin2);
  text("auth-submit", mode === "first_run" ? d.create : mode === "unlock" ? d.unlock : d.signIn);
  text("auth-other", d.other);
  $("auth-name-row").hidden = mode !== "first_run";
  $("auth-pin2-row").hidden = mode !== "first_run";
  $("auth-id-row").hidden = mode === "unlock";
  $("auth-other").hidden = mode !== "unlock";
  input("auth-pin").value = "";
  input("auth-pin2").value = "";
  text("auth-msg", "");
  (mode === "unlock" ? input("auth-pin") : input("auth-id")).focus();
}

async function submit() {
  const id = mode === "unlock" ? session.user!.id : input("auth-id").value.trim();
  const pin = input("auth-pin").value;
  try {
    if (mode === "first_run") {
      if (pin !== input("auth-pin2").value) return text("auth-msg", r().pinMismatch);
      await call("addUser", id, input("auth-name").value, "lead", pin);
    }
    session = await call("signIn", id, pin);
  } catch (e) {
    input("auth-pin").value = "";
    return showMsg(e);
  }
  lastInput = Date.now();
  render();
  await ctx.signedIn();
}

/** The backend said the desk is locked or nobody is signed in. */
export async function refresh() {
  session = await call("session");
  render();
}

export async function lockNow() {
  session = await call("lockDesk");
  render();
}

export async function signOut() {
  session = await call("signOut");
  input("auth-id").value = "";
  render();
}

export async function initAuth(c: typeof ctx): Promise<SessionView> {
  ctx = c;
  ($("auth-form") as HTMLFormElement).addEventListener("submit", (e) => {
    e.preventDefault();
    void submit();
  });
  $("auth-other").addEventListener("click", () => {
    mode = "sign_in";
    $("auth-id-row").hidden = false;
    $("auth-other").hidden = true;
    text("auth-hint", "");
    text("auth-submit", r().signIn);
    input("auth-id").focus();
  });
  $("lock-btn").addEventListener("click", () => void lockNow());
  $("signout-btn").addEventListener("click", () => void signOut());
  for (const ev of ["keydown", "pointerdown", "wheel"]) window.addEventListener(ev, () => (lastInput = Date.now()), true);
  window.setInterval(() => {
    const idleMs = session.idleLockMinutes * 60_000;
    if (session.user && !session.locked && Date.now() - lastInput > idleMs) void lockNow();
  }, 5_000);
  session = await call("session");
  render();
  return session;
}

/** Re-labels the screen after a language change. */
export function relabel() {
  text("lock-btn", r().lock);
  text("signout-btn", r().signOut);
  text("review-btn", r().review);
  render();
}
