// The call room: the checklist, the caller's number, situations and their
// phrases, the complaint form, the header's timers, and the keys that move
// through the items. Everything renders from the call the backend returned.
import type { Call, CallView, ComplaintField, ElementKey, PhrasePack } from "./bindings";
import { DISPOSITIONS, ELEMENTS, SITUATIONS } from "./bindings";
import { call } from "./api";
import { $, clock, FieldSaver, h, hhmm, input, setZone, text, type SaveStatus } from "./dom";
import { fill } from "./i18n";
import * as speech from "./speech";
import { HOTKEY_LABELS } from "./keys";
import { labelOf, noCall, open, s, showError, t } from "./shared";

export { DISPOSITIONS, ELEMENTS, SITUATIONS };
/** The complaint form's fields in the order the form asks them. */
const COMPLAINT_FIELDS: ComplaintField[] = ["name", "phone", "address", "work_unit", "subject", "what_happened"];
const COMPLAINT_KEYS = { name: "name", address: "address", work_unit: "workUnit", phone: "phone", what_happened: "whatHappened", subject: "subject" } as const;

/** The item last focused: F6/F7 act on it. */
export let currentElement = 0;
let shownCallId = 0; // fields are force-reset when another call is shown
export const savers = new Map<string, FieldSaver>();

/** Runs a command that returns the call, and re-renders. */
export async function act(f: () => Promise<CallView>): Promise<boolean> {
  try {
    s.view = await f();
    render();
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}


export function build() {
  const d = t();
  setZone(s.desk.settings.timeZone);
  document.documentElement.lang = s.lang;
  // A training desk says so on every screen: its calls are exercises.
  $("training").hidden = !s.desk.training;
  text("training", d.ui.training);
  text("rings-label", d.ui.ringCount);
  text("answer-label", d.ui.answerTime);
  text("number-label", d.ui.callerNumber);
  text("checklist-label", d.ui.checklist);
  text("situations-label", d.ui.situations);
  text("referral-label", d.ui.referral);
  text("complaint-label", d.ui.complaintForm);
  text("notes-label", d.ui.notes);
  text("close-title", d.ui.closeTitle);
  text("settings-title", d.ui.settings);
  text("files-title", d.ui.dataFiles);
  input("ref-search").placeholder = d.ui.referralSearch;

  const pack = s.desk.phrases[s.lang === "en" ? "en" : "zh"];
  const els = $("elements");
  if (!els.childElementCount) {
    ELEMENTS.forEach((key, i) => {
      const inp = h("input", { id: `el-${key}`, autocomplete: "off", maxlength: "600" });
      els.append(
        h("div", { class: "el", id: `row-${key}` },
          h("span", { class: "hk" }, HOTKEY_LABELS.element(i)),
          h("span", { class: "label", id: `label-${key}` }),
          h("div", { class: "prompt" }, h("div", { class: "zh", id: `prompt-${key}` }), h("div", { class: "en", id: `prompt-en-${key}` })),
          inp,
          h("span", { class: "badge", id: `st-${key}` }),
          h("span", { class: "msg", id: `msg-${key}` }),
          speech.offerChip(key, i)),
      );
      inp.addEventListener("focus", () => (currentElement = i));
      inp.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          void enterElement(i);
        }
      });
      savers.set(`el-${key}`, new FieldSaver(inp, async (v) => {
        if (open()) s.view = await call("setElement", key, v);
        render();
      }, (s) => fieldStatus(`msg-${key}`, s)));
    });
  }
  ELEMENTS.forEach((key) => {
    const p = pack.elements.find((e) => e.key === key)!;
    text(`label-${key}`, p.label);
  });

  const sits = $("situations");
  sits.replaceChildren(...SITUATIONS.map((kind, i) => {
    const b = h("button", { id: `sit-${kind}`, class: "sit", tabindex: "-1" },
      h("span", { class: "hk" }, HOTKEY_LABELS.situation(i)),
      pack.situations.find((s) => s.kind === kind)!.label);
    b.addEventListener("click", () => void situation(i));
    return b;
  }));

  const cf = $("complaint-fields");
  if (!cf.childElementCount) {
    for (const f of COMPLAINT_FIELDS) {
      const multi = f === "what_happened";
      const el = multi ? h("textarea", { id: `cp-${f}`, rows: "2", maxlength: "600" }) : h("input", { id: `cp-${f}`, autocomplete: "off", maxlength: "140" });
      cf.append(h("label", { class: multi ? "wide" : "" }, h("span", { id: `cp-label-${f}` }), el, h("span", { class: "msg", id: `cp-msg-${f}` })));
      savers.set(`cp-${f}`, new FieldSaver(el, async (v) => {
        if (open()) s.view = await call("setComplaintField", f, v);
        render();
      }, (s) => fieldStatus(`cp-msg-${f}`, s)));
    }
  }
  if (!document.getElementById("cp-misconduct")) {
    const box = h("input", { id: "cp-misconduct", type: "checkbox" });
    box.addEventListener("change", () => void act(() => call("setMisconductNow", box.checked)));
    cf.append(h("label", { class: "check wide" }, box, h("span", { id: "cp-misconduct-label" })), h("div", { id: "cp-misconduct-alert", class: "misconduct wide", hidden: "" }));
  }
  text("cp-misconduct-label", d.ui.misconduct);
  text("cp-misconduct-alert", d.ui.misconductAlert);
  for (const f of COMPLAINT_FIELDS) text(`cp-label-${f}`, d.complaint[f]);

  $("legend").replaceChildren(...([
    [HOTKEY_LABELS.ring, d.ui.lgRing], [HOTKEY_LABELS.answer, d.ui.lgAnswer], [HOTKEY_LABELS.greeting, d.ui.greetingDone],
    [HOTKEY_LABELS.focusNumber, d.ui.callerNumber], ["Ctrl+1–8", d.ui.legendElements], ["Ctrl+Shift+1–8", d.speech.suggest], ["Enter", d.ui.lgNext],
    [HOTKEY_LABELS.asked, d.elementState.asked], [HOTKEY_LABELS.notApplicable, d.elementState.not_applicable],
    ["Alt+1–7", d.ui.legendSituations], [HOTKEY_LABELS.close, d.ui.lgClose], [HOTKEY_LABELS.settings, d.ui.settings], [HOTKEY_LABELS.queue, d.ui.lgQueue], [HOTKEY_LABELS.review, d.ui.lgReview],
    [HOTKEY_LABELS.language, s.lang === "en" ? "中文" : "English"], [HOTKEY_LABELS.phraseLanguage, d.ui.phraseLanguage],
  ] as const).map(([k, v]) => h("span", {}, h("kbd", {}, k), " ", v)));
}

function fieldStatus(msgId: string, s: SaveStatus) {
  const el = $(msgId);
  el.classList.toggle("error", typeof s === "object");
  if (typeof s === "object") showError(s.error, el);
  else el.textContent = s === "clear" ? "" : s === "saving" ? t().ui.saving : t().ui.saved;
}

export function render() {
  const d = t();
  const c = s.view?.call;
  const state = c ? c.state : "idle";
  const pill = $("state");
  pill.dataset.state = state;
  text("state", d.state[state]);
  document.body.dataset.callState = state;
  renderPhrases(c);
  text("greeting-done", c?.greetingAt ? `✓ ${d.ui.greetingDone} ${hhmm(c.greetingAt)}` : "");
  $("greeting-box").classList.toggle("done", !!c?.greetingAt);
  $("greeting-box").classList.toggle("due", !!c && c.state !== "ringing" && c.state !== "closed" && !c.greetingAt);
  text("taker", s.desk.settings.stationId);
  const rt = s.view?.ringTiming;
  text("rings", rt ? `${rt.ringsBeforeAnswer} · ${rt.compliant ? d.ui.ringOk : d.ui.ringLate}` : c ? d.ui.ringPending : "—");
  $("rings").classList.toggle("ok", !!rt?.compliant);
  $("rings").classList.toggle("late", !!rt && !rt.compliant);
  text("answer-time", c?.answeredAt ? `${((Date.parse(c.answeredAt) - Date.parse(c.ringAt)) / 1000).toFixed(1)} ${d.ui.seconds}` : "—");
  tick();

  const warnings = s.desk.dataFiles.filter((f) => f.warning);
  $("file-warning").hidden = warnings.length === 0;
  text("file-warning", warnings.map((f) => `⚠ ${d.ui.fileWarning}: ${f.warning}`).join("\n"));

  renderBanner();
  $("idle").hidden = open();
  $("call-area").hidden = !open();
  $("right").classList.toggle("inactive", !open());
  ($("notes").parentElement as HTMLElement).hidden = !open();
  text("idle", s.view && !open()
    ? `${d.ui.lastCall} ${d.ui.callNo}${s.view.call.id} · ${s.view.call.missed ? `${d.ui.missed} (${s.view.call.rings.length})` : d.disposition[s.view.call.disposition ?? "other"]} · ${s.view.elementsDone}/${s.view.elementsTotal}` +
      (s.view.call.missingAtClose.length ? ` · ${d.ui.missingAtClose}: ${s.view.call.missingAtClose.map((k) => labelOf(k)).join("、")}` : "") +
      `\n${d.ui.idleHint}`
    : d.ui.idleHint);
  if (!c) return renderSide(null);

  const force = c.id !== shownCallId;
  shownCallId = c.id;
  const num = input("caller-number");
  if (force) num.classList.remove("invalid");
  if (force || document.activeElement !== num) savers.get("caller-number")!.reset(c.callerNumber, force);
  for (const e of c.elements) {
    const row = $(`row-${e.key}`);
    row.dataset.state = e.state;
    text(`st-${e.key}`, d.elementState[e.state] + (e.firstAnsweredAt ? ` ${hhmm(e.firstAnsweredAt)}` : ""));
    const el = input(`el-${e.key}`);
    if (force || document.activeElement !== el) savers.get(`el-${e.key}`)!.reset(e.value, force);
  }
  $("meter-fill").style.width = `${(100 * s.view!.elementsDone) / s.view!.elementsTotal}%`;
  text("meter-text", `${s.view!.elementsDone}/${s.view!.elementsTotal}`);
  $("all-done").hidden = s.view!.missing.length > 0;
  text("all-done", d.ui.next);

  const earlier = s.view!.earlier;
  const seatOnly = s.view!.thisSeatOnly;
  $("earlier").hidden = !earlier && !seatOnly;
  if (earlier) {
    const seat = s.view!.earlierSeat ? ` · ${fill(d.station.otherSeat, { seat: s.view!.earlierSeat })}` : "";
    $("earlier").replaceChildren(
      h("strong", {}, `⟲ ${d.ui.earlier} ${d.ui.callNo}${earlier.id}${seat} · ${hhmm(earlier.ringAt)} · ${earlier.callerNumber}`),
      h("ul", {}, ...earlier.elements.filter((e) => e.value).map((e) => h("li", {}, h("b", {}, `${labelOf(e.key)}：`), e.value))),
    );
  } else {
    $("earlier").replaceChildren();
  }
  if (seatOnly) $("earlier").append(h("div", { class: "seat-only" }, d.station.seatOnly));
  renderSide(s.view, force);
}

export function renderBanner() {
  const d = t();
  const q = s.desk.queue;
  const lines = [];
  if (q.dueToday || q.overdue) lines.push(fill(d.q.banner, { today: q.dueToday, overdue: q.overdue }));
  if (q.missingYears.length) lines.push(fill(d.q.missing, { years: q.missingYears.join("、") }));
  if (lines.length && q.thisSeatOnly) lines.push(d.q.seatOnly);
  $("queue-banner").hidden = lines.length === 0;
  text("queue-banner", lines.join("\n"));
}

/** The packs a call's phrases come from (Alt+L): what to say, and beside it
 * the Mandarin (or, when Mandarin is what to say, the English). */
function phrasePacks(c: Call | undefined): [PhrasePack, PhrasePack] {
  const p = s.desk.phrases;
  // Once the call is closed, the next one starts in Mandarin.
  switch (c && c.state !== "closed" ? c.phraseLanguage : undefined) {
    case "en": return [p.en, p.zh];
    case "dialect": return [p.dialect ?? p.zh, p.zh];
    default: return [p.zh, p.en];
  }
}

/** The greeting and every item's question in the call's phrase language. */
function renderPhrases(c: Call | undefined) {
  const [say, beside] = phrasePacks(c);
  const greeting = (p: PhrasePack) =>
    p.language === "en" ? s.desk.greetingEn : p.language === "dialect" ? s.desk.greetingDialect ?? s.desk.greeting : s.desk.greeting;
  text("greeting", greeting(say));
  text("greeting-en", greeting(beside));
  ELEMENTS.forEach((key) => {
    text(`prompt-${key}`, say.elements.find((e) => e.key === key)!.prompt);
    text(`prompt-en-${key}`, beside.elements.find((e) => e.key === key)!.prompt);
  });
  const pill = $("phrase-lang");
  pill.hidden = say.language === "zh-CN";
  pill.dataset.lang = say.language;
  text("phrase-lang", `${say.name} · Alt+L`);
}

function renderSide(v: CallView | null, force = false) {
  const c = v?.call;
  speech.render(v, s.lang, ELEMENTS, SITUATIONS, open());
  const active = new Set(c?.situations.map((s) => s.kind) ?? []);
  for (const kind of SITUATIONS) $(`sit-${kind}`).classList.toggle("on", active.has(kind));
  // Newest situation first: that is the caller in front of the call-taker now.
  const kinds = open() ? [...c!.situations].reverse().map((s) => s.kind) : [];
  $("phrases").replaceChildren(...kinds.map((kind) => {
    const [sayPack, besidePack] = phrasePacks(c);
    const say = sayPack.situations.find((s) => s.kind === kind)!;
    const beside = besidePack.situations.find((s) => s.kind === kind)!;
    const local = s.desk.phrases[s.lang === "en" ? "en" : "zh"].situations.find((s) => s.kind === kind)!;
    // Pair phrase by phrase; a pack with fewer keeps the other's rest.
    const n = Math.max(say.phrases.length, beside.phrases.length);
    return h("div", { class: "phrase-card", id: `phrases-${kind}` },
      h("div", { class: "title" }, local.label, h("span", { class: "hint" }, local.hint)),
      ...Array.from({ length: n }, (_, i) => h("div", { class: "phrase" },
        h("div", { class: "zh" }, say.phrases[i] ? `“${say.phrases[i]}”` : ""), h("div", { class: "en" }, beside.phrases[i] ?? ""))));
  }));
  $("referral").hidden = !active.has("consultation") || !open();
  $("complaint").hidden = !c?.complaint || !open();
  text("ref-done", c?.referrals.length ? `✓ ${c.referrals.map((r) => `${r.department} ${r.phone}`).join("；")}` : "");
  if (c) {
    for (const f of COMPLAINT_FIELDS) {
      const value = c.complaint ? String(c.complaint[COMPLAINT_KEYS[f]] ?? "") : "";
      const el = input(`cp-${f}`);
      if (force || document.activeElement !== el) savers.get(`cp-${f}`)!.reset(value, force);
    }
  }
  (input("cp-misconduct") as HTMLInputElement).checked = !!c?.complaint?.misconductNow;
  $("cp-misconduct-alert").hidden = !c?.complaint?.misconductNow;
  const notes = $("notes") as HTMLTextAreaElement;
  if (c && (force || document.activeElement !== notes)) savers.get("notes")!.reset(c.notes, force);
}

export function tick() {
  const c = s.view?.call;
  if (!c) return text("timer", "00:00");
  if (c.state === "closed") return text("timer", clock(c.answeredAt ?? c.ringAt, Date.parse(c.closedAt!)));
  text("timer", clock(c.state === "ringing" ? c.ringAt : c.answeredAt!));
  $("timer").classList.toggle("ringing", c.state === "ringing");
}

export function focusElement(i: number) {
  currentElement = i;
  const el = input(`el-${ELEMENTS[i]}`);
  el.focus();
  el.select();
}

/** The next item after `from` that is neither answered nor n/a, wrapping. */
export function nextMissing(from: number): number | null {
  if (!s.view) return null;
  for (let k = 1; k <= ELEMENTS.length; k++) {
    const i = (from + k) % ELEMENTS.length;
    const st = s.view.call.elements[i].state;
    if (st === "not_asked" || st === "asked") return i;
  }
  return null;
}

async function enterElement(i: number) {
  const ok = await savers.get(`el-${ELEMENTS[i]}`)!.flush();
  if (!ok) return;
  const next = nextMissing(i);
  if (next !== null) focusElement(next);
  else input(`el-${ELEMENTS[i]}`).blur();
}

/** Takes speech's suggestion for item `key` into its field (appended to
 * what was typed, which is saved first). */
export async function acceptOffer(key: ElementKey) {
  const o = open() ? speech.offerFor(s.view, key) : undefined;
  if (!o) return;
  if (!(await savers.get(`el-${key}`)!.flush())) return;
  if (await act(() => call("acceptOffer", key, o.value))) {
    savers.get(`el-${key}`)!.reset(s.view!.call.elements.find((e) => e.key === key)!.value, true);
  }
}

export async function situation(i: number) {
  const kind = SITUATIONS[i];
  if (!open()) return showError(noCall());
  if (!(await act(() => call("addSituation", kind)))) return;
  if (kind === "complaint") input("cp-name").focus();
  if (kind === "consultation") input("ref-search").focus();
}

export async function flushAll() {
  for (const s of savers.values()) await s.flush();
}


/** The caller's number and the notes: saved as typed, like the items. */
export function initFields() {
  const num = input("caller-number");
  savers.set("caller-number", new FieldSaver(num, async (v) => {
    if (!open()) return;
    try {
      s.view = await call("setCallerNumber", v);
      num.classList.remove("invalid");
    } catch (e) {
      num.classList.add("invalid");
      throw e;
    }
    render();
  }, (s) => fieldStatus("number-msg", s)));
  num.addEventListener("keydown", async (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (!(await savers.get("caller-number")!.flush())) return;
    const next = nextMissing(-1);
    if (next !== null) focusElement(next);
  });
  savers.set("notes", new FieldSaver($("notes") as HTMLTextAreaElement, async (v) => {
    if (open()) s.view = await call("setNotes", v);
    render();
  }, (s) => fieldStatus("notes-msg", s)));

}
