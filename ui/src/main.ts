// The desk screen's start-up and hotkeys; each room is its own file:
// call.ts (the checklist), close.ts (F9), settings.ts (F10), referral.ts,
// queue.ts (F11), review.ts (F12), auth.ts (sign-in), station.ts, audio.ts,
// speech.ts. Shared state is in shared.ts.
import type { PhraseLanguage } from "./bindings";
import { call, DeskError } from "./api";
import { $, input, syncClock } from "./dom";
import * as queue from "./queue";
import * as audio from "./audio";
import * as station from "./station";
import * as auth from "./auth";
import * as review from "./review";
import * as speech from "./speech";
import { actionFor, type Action } from "./keys";
import { acceptOffer, build, currentElement, ELEMENTS, focusElement, initFields, nextMissing, render, renderBanner, act, situation, tick } from "./call";
import { closeDialogKey, openClose } from "./close";
import { openSettings, saveSettings } from "./settings";
import { initReferral } from "./referral";
import { initDataFiles } from "./datafiles";
import { labelOf, open, s, showError, t } from "./shared";

/** Re-reads the queue counts; says so when a follow-up reaches its last day. */
async function pollQueue() {
  try {
    const before = s.desk.queue.dueToday;
    s.desk.queue = await call("queueSummary");
    if (s.desk.queue.dueToday > before) showError(t().q.entered); // the toast doubles as the alert
    renderBanner();
    if (queue.isOpen()) await queue.refresh();
  } catch (e) {
    showError(e);
  }
}

async function run(a: Action) {
  switch (a.kind) {
    case "queue":
      review.close();
      return queue.toggle();
    case "review":
      if (review.isOpen()) return review.close();
      if (!auth.isLead()) return showError(new DeskError({ code: "FORBIDDEN", message: "only a shift lead may do this", field: null, limit: null, missing: [] }));
      queue.close();
      return review.open();
    case "ring":
      queue.close();
      review.close();
      if (await act(() => call("ringCall"))) (document.activeElement as HTMLElement | null)?.blur();
      return;
    case "answer":
      queue.close();
      review.close();
      if (await act(() => call("answerCall"))) input("caller-number").focus();
      return;
    case "greeting":
      await act(() => call("markGreeting"));
      return;
    case "focusNumber":
      if (open()) input("caller-number").focus();
      return;
    case "element":
      if (open()) focusElement(a.index);
      return;
    case "accept":
      return acceptOffer(ELEMENTS[a.index]);
    case "asked":
    case "notApplicable": {
      const key = ELEMENTS[currentElement];
      const st = a.kind === "asked" ? "asked" : s.view?.call.elements[currentElement].state === "not_applicable" ? "asked" : "not_applicable";
      if (await act(() => call("setElementState", key, st)) && st === "not_applicable") {
        const next = nextMissing(currentElement);
        if (next !== null) focusElement(next);
      }
      return;
    }
    case "situation":
      return situation(a.index);
    case "close":
      return openClose();
    case "settings":
      return openSettings();
    case "language":
      s.lang = s.lang === "en" ? "zh-CN" : "en";
      build();
      render();
      auth.relabel();
      review.relabel();
      return;
    case "phraseLanguage": {
      // The call's phrases: 普通话 → English → the station's dialect (if it
      // has a pack) → 普通话. The desk's own language stays.
      if (!open()) return;
      const langs: PhraseLanguage[] = ["zh-CN", "en", ...(s.desk.phrases.dialect ? ["dialect" as const] : [])];
      const next = langs[(langs.indexOf(s.view!.call.phraseLanguage ?? "zh-CN") + 1) % langs.length];
      await act(() => call("setPhraseLanguage", next));
      return;
    }
    case "escape":
      if (review.isOpen() && !(document.activeElement instanceof HTMLInputElement)) return review.close();
      (document.activeElement as HTMLElement | null)?.blur();
      return;
  }
}

function onKey(e: KeyboardEvent) {
  if (!$("auth").hidden) return; // the sign-in form's own keys only
  const closeDlg = $("close-dialog") as HTMLDialogElement;
  const setDlg = $("settings-dialog") as HTMLDialogElement;
  if (closeDlg.open) return closeDialogKey(e);
  if (($("reply-dialog") as HTMLDialogElement).open) return; // the form's own keys
  if (($("datafile-dialog") as HTMLDialogElement).open) return; // the editor's own keys
  if (queue.isOpen() && queue.onKey(e)) return;
  if (setDlg.open) {
    if (e.key === "Enter") { e.preventDefault(); void saveSettings(); }
    return; // Escape closes the dialog natively
  }
  if (review.onKey(e)) return;
  const a = actionFor(e);
  if (!a) return;
  e.preventDefault();
  e.stopPropagation();
  void run(a);
}

// ------------------------------------------------------------------- start

/** After sign-in or unlock: the s.desk as this user may see it. */
async function signedIn() {
  s.desk = await call("getState");
  syncClock(s.desk.now);
  s.view = s.desk.active;
  build();
  render();
}

async function start() {
  s.desk = await call("getState");
  syncClock(s.desk.now);
  s.lang = s.desk.settings.language;
  s.view = s.desk.active;
  await auth.initAuth({ lang: () => s.lang, signedIn });
  auth.relabel();
  review.initReview({
    lang: () => s.lang,
    shifts: () => s.desk.settings.shifts.split(/[,，;；]/).map((x) => x.trim().split(/\s+/).slice(1).join(" ")).filter(Boolean),
    labelOf: (k) => labelOf(k) ?? s.desk.phrases[s.lang === "en" ? "en" : "zh"].situations.find((x) => x.kind === k)?.label,
    showError,
  });
  $("review-btn").addEventListener("click", () => void run({ kind: "review" }));
  speech.initSpeech((k) => void acceptOffer(k), labelOf);
  initFields();

  initReferral();
  initDataFiles();

  ($("settings-form") as HTMLFormElement).addEventListener("submit", (e) => { e.preventDefault(); void saveSettings(); });
  window.addEventListener("keydown", onKey, true);
  build();
  render();
  window.setInterval(tick, 250);
  queue.initQueue({ lang: () => s.lang, takerId: () => auth.current().user?.id ?? s.desk.settings.takerId,
    author: () => { const u = auth.current().user; return u ? `${u.name} (${u.id})` : null; }, showError });
  window.setInterval(() => void pollQueue(), 60_000);
  void pollQueue(); // a joined s.desk's state holds only this seat's counts until the station is asked
  station.initStation(() => s.lang);
  audio.initAudio({
    lang: () => s.lang,
    showError,
    async callChanged() {
      const before = s.view?.call.id;
      const st = await call("getState");
      // A missed call closes at once: keep showing it as the last call.
      s.view = st.active ?? (before !== undefined ? await call("getCall", before).catch(() => s.view) : s.view);
      render();
    },
  });
  // First paint: the benchmark and the end-to-end tests wait for this.
  requestAnimationFrame(() => {
    document.body.dataset.ready = "1";
    document.body.dataset.readyMs = String(Math.round(performance.now()));
  });
}

start().catch((e) => {
  document.body.textContent = `接警 Jiejing failed to start: ${e instanceof DeskError ? e.detail.message : String(e)}`;
});
