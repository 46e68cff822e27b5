// The call desk screen. State lives in the backend; every command returns
// the call as saved, and the screen re-renders from that.
import type { CallView, ComplaintField, DeskState, Disposition, ElementKey, Language, SituationKind } from "./bindings";
import { call, DeskError } from "./api";
import { $, clock, FieldSaver, h, hhmm, input, setZone, syncClock, text, type SaveStatus } from "./dom";
import { dict, errorText, fill } from "./i18n";
import * as queue from "./queue";
import * as audio from "./audio";
import * as station from "./station";
import * as auth from "./auth";
import * as review from "./review";
import * as speech from "./speech";
import { actionFor, HOTKEY_LABELS, type Action } from "./keys";

const ELEMENTS: ElementKey[] = ["when", "where", "what", "who", "why", "object", "result", "contact"];
const SITUATIONS: SituationKind[] = ["panicked", "repeat_urging", "emergency_help", "consultation", "rude", "harassment", "complaint"];
const DISPOSITIONS: Disposition[] = ["police_incident", "emergency_help", "consultation", "complaint", "harassment", "repeat_urging", "other"];
const COMPLAINT_FIELDS: ComplaintField[] = ["name", "phone", "address", "work_unit", "subject", "what_happened"];
const COMPLAINT_KEYS = { name: "name", address: "address", work_unit: "workUnit", phone: "phone", what_happened: "whatHappened", subject: "subject" } as const;

let desk: DeskState;
let view: CallView | null = null; // the open call, or the one just closed
let lang: Language = "zh-CN";
let currentElement = 0;
let closeChoice: Disposition = "police_incident";
let closeConfirm = false;
let shownCallId = 0; // fields are force-reset when another call is shown
const savers = new Map<string, FieldSaver>();

const t = () => dict(lang);
const open = () => view !== null && view.call.state !== "closed";
const labelOf = (key: string): string | undefined =>
  desk.phrases[lang === "en" ? "en" : "zh"].elements.find((e) => e.key === key)?.label ??
  (t().complaint as Record<string, string>)[key];

function showError(e: unknown, where?: HTMLElement) {
  // Locked by the backend's idle check, or signed out: show the PIN screen.
  if (e instanceof DeskError && (e.detail.code === "LOCKED" || e.detail.code === "SIGN_IN_REQUIRED")) void auth.refresh();
  const msg = e instanceof DeskError ? errorText(lang, e.detail, labelOf) : String(e);
  const toast = $("toast");
  toast.textContent = msg;
  toast.hidden = false;
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.hidden = true), 6000));
  if (where) where.textContent = msg;
}

/** Runs a command that returns the call, and re-renders. */
async function act(f: () => Promise<CallView>): Promise<boolean> {
  try {
    view = await f();
    render();
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

// ---------------------------------------------------------------- building

function build() {
  const d = t();
  setZone(desk.settings.timeZone);
  document.documentElement.lang = lang;
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

  const pack = desk.phrases[lang === "en" ? "en" : "zh"];
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
        if (open()) view = await call("setElement", key, v);
        render();
      }, (s) => fieldStatus(`msg-${key}`, s)));
    });
  }
  ELEMENTS.forEach((key) => {
    const p = pack.elements.find((e) => e.key === key)!;
    text(`label-${key}`, p.label);
    text(`prompt-${key}`, desk.phrases.zh.elements.find((e) => e.key === key)!.prompt);
    text(`prompt-en-${key}`, desk.phrases.en.elements.find((e) => e.key === key)!.prompt);
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
        if (open()) view = await call("setComplaintField", f, v);
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
    [HOTKEY_LABELS.language, lang === "en" ? "中文" : "English"],
  ] as const).map(([k, v]) => h("span", {}, h("kbd", {}, k), " ", v)));
}

function fieldStatus(msgId: string, s: SaveStatus) {
  const el = $(msgId);
  el.classList.toggle("error", typeof s === "object");
  if (typeof s === "object") showError(s.error, el);
  else el.textContent = s === "clear" ? "" : s === "saving" ? t().ui.saving : t().ui.saved;
}

// --------------------------------------------------------------- rendering

function render() {
  const d = t();
  const c = view?.call;
  const state = c ? c.state : "idle";
  const pill = $("state");
  pill.dataset.state = state;
  text("state", d.state[state]);
  document.body.dataset.callState = state;
  text("greeting", desk.greeting);
  text("greeting-en", desk.greetingEn);
  text("greeting-done", c?.greetingAt ? `✓ ${d.ui.greetingDone} ${hhmm(c.greetingAt)}` : "");
  $("greeting-box").classList.toggle("done", !!c?.greetingAt);
  $("greeting-box").classList.toggle("due", !!c && c.state !== "ringing" && c.state !== "closed" && !c.greetingAt);
  text("taker", desk.settings.stationId);
  const rt = view?.ringTiming;
  text("rings", rt ? `${rt.ringsBeforeAnswer} · ${rt.compliant ? d.ui.ringOk : d.ui.ringLate}` : c ? d.ui.ringPending : "—");
  $("rings").classList.toggle("ok", !!rt?.compliant);
  $("rings").classList.toggle("late", !!rt && !rt.compliant);
  text("answer-time", c?.answeredAt ? `${((Date.parse(c.answeredAt) - Date.parse(c.ringAt)) / 1000).toFixed(1)} ${d.ui.seconds}` : "—");
  tick();

  const warnings = desk.dataFiles.filter((f) => f.warning);
  $("file-warning").hidden = warnings.length === 0;
  text("file-warning", warnings.map((f) => `⚠ ${d.ui.fileWarning}: ${f.warning}`).join("\n"));

  renderBanner();
  $("idle").hidden = open();
  $("call-area").hidden = !open();
  $("right").classList.toggle("inactive", !open());
  ($("notes").parentElement as HTMLElement).hidden = !open();
  text("idle", view && !open()
    ? `${d.ui.lastCall} ${d.ui.callNo}${view.call.id} · ${view.call.missed ? `${d.ui.missed} (${view.call.rings.length})` : d.disposition[view.call.disposition ?? "other"]} · ${view.elementsDone}/${view.elementsTotal}` +
      (view.call.missingAtClose.length ? ` · ${d.ui.missingAtClose}: ${view.call.missingAtClose.map((k) => labelOf(k)).join("、")}` : "") +
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
  $("meter-fill").style.width = `${(100 * view!.elementsDone) / view!.elementsTotal}%`;
  text("meter-text", `${view!.elementsDone}/${view!.elementsTotal}`);
  $("all-done").hidden = view!.missing.length > 0;
  text("all-done", d.ui.next);

  const earlier = view!.earlier;
  const seatOnly = view!.thisSeatOnly;
  $("earlier").hidden = !earlier && !seatOnly;
  if (earlier) {
    const seat = view!.earlierSeat ? ` · ${fill(d.station.otherSeat, { seat: view!.earlierSeat })}` : "";
    $("earlier").replaceChildren(
      h("strong", {}, `⟲ ${d.ui.earlier} ${d.ui.callNo}${earlier.id}${seat} · ${hhmm(earlier.ringAt)} · ${earlier.callerNumber}`),
      h("ul", {}, ...earlier.elements.filter((e) => e.value).map((e) => h("li", {}, h("b", {}, `${labelOf(e.key)}：`), e.value))),
    );
  } else {
    $("earlier").replaceChildren();
  }
  if (seatOnly) $("earlier").append(h("div", { class: "seat-only" }, d.station.seatOnly));
  renderSide(view, force);
}

function renderBanner() {
  const d = t();
  const q = desk.queue;
  const lines = [];
  if (q.dueToday || q.overdue) lines.push(fill(d.q.banner, { today: q.dueToday, overdue: q.overdue }));
  if (q.missingYears.length) lines.push(fill(d.q.missing, { years: q.missingYears.join("、") }));
  if (lines.length && q.thisSeatOnly) lines.push(d.q.seatOnly);
  $("queue-banner").hidden = lines.length === 0;
  text("queue-banner", lines.join("\n"));
}

/** Re-reads the queue counts; says so when a follow-up reaches its last day. */
async function pollQueue() {
  try {
    const before = desk.queue.dueToday;
    desk.queue = await call("queueSummary");
    if (desk.queue.dueToday > before) showError(t().q.entered); // the toast doubles as the alert
    renderBanner();
    if (queue.isOpen()) await queue.refresh();
  } catch (e) {
    showError(e);
  }
}

function renderSide(v: CallView | null, force = false) {
  const c = v?.call;
  speech.render(v, lang, ELEMENTS, SITUATIONS, open());
  const active = new Set(c?.situations.map((s) => s.kind) ?? []);
  for (const kind of SITUATIONS) $(`sit-${kind}`).classList.toggle("on", active.has(kind));
  // Newest situation first: that is the caller in front of the call-taker now.
  const kinds = open() ? [...c!.situations].reverse().map((s) => s.kind) : [];
  $("phrases").replaceChildren(...kinds.map((kind) => {
    const zh = desk.phrases.zh.situations.find((s) => s.kind === kind)!;
    const en = desk.phrases.en.situations.find((s) => s.kind === kind)!;
    const local = lang === "en" ? en : zh;
    return h("div", { class: "phrase-card", id: `phrases-${kind}` },
      h("div", { class: "title" }, local.label, h("span", { class: "hint" }, local.hint)),
      ...zh.phrases.map((p, i) => h("div", { class: "phrase" }, h("div", { class: "zh" }, `“${p}”`), h("div", { class: "en" }, en.phrases[i] ?? ""))));
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

function tick() {
  const c = view?.call;
  if (!c) return text("timer", "00:00");
  if (c.state === "closed") return text("timer", clock(c.answeredAt ?? c.ringAt, Date.parse(c.closedAt!)));
  text("timer", clock(c.state === "ringing" ? c.ringAt : c.answeredAt!));
  $("timer").classList.toggle("ringing", c.state === "ringing");
}

// ----------------------------------------------------------------- actions

function focusElement(i: number) {
  currentElement = i;
  const el = input(`el-${ELEMENTS[i]}`);
  el.focus();
  el.select();
}

/** The next item after `from` that is neither answered nor n/a, wrapping. */
function nextMissing(from: number): number | null {
  if (!view) return null;
  for (let k = 1; k <= ELEMENTS.length; k++) {
    const i = (from + k) % ELEMENTS.length;
    const st = view.call.elements[i].state;
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
async function acceptOffer(key: ElementKey) {
  const o = open() ? speech.offerFor(view, key) : undefined;
  if (!o) return;
  if (!(await savers.get(`el-${key}`)!.flush())) return;
  if (await act(() => call("acceptOffer", key, o.value))) {
    savers.get(`el-${key}`)!.reset(view!.call.elements.find((e) => e.key === key)!.value, true);
  }
}

async function situation(i: number) {
  const kind = SITUATIONS[i];
  if (!open()) return showError(new DeskError({ code: "NO_ACTIVE_CALL", message: "", field: null, limit: null, missing: [] }));
  if (!(await act(() => call("addSituation", kind)))) return;
  if (kind === "complaint") input("cp-name").focus();
  if (kind === "consultation") input("ref-search").focus();
}

async function flushAll() {
  for (const s of savers.values()) await s.flush();
}

function openClose() {
  if (!open()) return showError(new DeskError({ code: "NO_ACTIVE_CALL", message: "", field: null, limit: null, missing: [] }));
  closeChoice = view!.suggestedDisposition;
  closeConfirm = false;
  text("close-msg", "");
  renderDispositions();
  ($("close-dialog") as HTMLDialogElement).showModal();
}

function renderDispositions() {
  $("dispositions").replaceChildren(...DISPOSITIONS.map((d, i) => {
    const li = h("li", { id: `disp-${d}`, class: d === closeChoice ? "chosen" : "" }, h("kbd", {}, String(i + 1)), " ", t().disposition[d]);
    li.addEventListener("click", () => { closeChoice = d; void confirmClose(); });
    return li;
  }));
}

async function confirmClose() {
  await flushAll();
  try {
    view = await call("closeCall", closeChoice, closeConfirm);
    ($("close-dialog") as HTMLDialogElement).close();
    (document.activeElement as HTMLElement | null)?.blur();
    render();
  } catch (e) {
    if (e instanceof DeskError && e.detail.code === "MISSING_ELEMENTS") {
      closeConfirm = true; // ask once; the next Enter closes anyway
      $("close-msg").textContent = errorText(lang, e.detail, labelOf);
    } else showError(e, $("close-msg"));
  }
}

function closeDialogKey(e: KeyboardEvent) {
  const n = Number(e.key);
  if (n >= 1 && n <= DISPOSITIONS.length) { closeChoice = DISPOSITIONS[n - 1]; closeConfirm = false; text("close-msg", ""); }
  else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    const i = DISPOSITIONS.indexOf(closeChoice) + (e.key === "ArrowDown" ? 1 : -1);
    closeChoice = DISPOSITIONS[(i + DISPOSITIONS.length) % DISPOSITIONS.length];
  } else if (e.key === "Enter") { e.preventDefault(); void confirmClose(); return; }
  else return;
  e.preventDefault();
  renderDispositions();
}

const SETTINGS_FIELDS = [
  ["city", "text"], ["cityEn", "text"], ["operatorNumber", "text"], ["takerId", "text"], ["stationId", "text"], ["repeatWindowMinutes", "number"],
  ["followupWorkingDays", "number"], ["followupEndOfDay", "text"], ["timeZone", "text"], ["idleLockMinutes", "number"], ["shifts", "text"],
] as const;
const SETTINGS_LABELS = {
  city: "city", cityEn: "cityEn", operatorNumber: "operatorNumber", takerId: "takerId", stationId: "stationId", repeatWindowMinutes: "repeatWindow",
  followupWorkingDays: "workingDays", followupEndOfDay: "endOfDay", timeZone: "timeZone", idleLockMinutes: "idleLock", shifts: "shifts",
} as const;
const NUMERIC = new Set(["repeatWindowMinutes", "followupWorkingDays", "idleLockMinutes"]);

async function openSettings() {
  const d = t();
  $("settings-fields").replaceChildren(...SETTINGS_FIELDS.map(([k, type]) =>
    h("label", {}, h("span", {}, d.ui[SETTINGS_LABELS[k]]), h("input", { id: `set-${k}`, type, value: String(desk.settings[k]) }))));
  const langSel = h("select", { id: "set-language" }, h("option", { value: "zh-CN" }, "简体中文"), h("option", { value: "en" }, "English"));
  langSel.value = desk.settings.language;
  const calPath = h("input", { id: "set-calendar-path", placeholder: d.ui.importHint });
  calPath.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    e.stopPropagation();
    void importCalendar(calPath.value);
  });
  $("settings-fields").append(
    h("label", {}, h("span", {}, d.ui.language), langSel),
    h("label", {}, h("span", {}, d.ui.importCalendar), calPath),
    h("p", { class: "dir", id: "calendar-years" }, `${d.ui.calendarYears}: ${desk.calendarYears.join(", ")}`),
    h("p", { class: "dir" }, `${d.ui.dataDir}: ${desk.dataDir}`));
  $("settings-fields").append(await audio.settingsSection(desk.settings.audioDevice, desk.settings.listen),
    speech.settingsSection(desk.settings.speech, desk.settings.speechModel, lang),
    station.settingsSection(lang, showError));
  $("files").replaceChildren(...desk.dataFiles.map((f) =>
    h("li", { class: f.warning ? "error" : "" }, `${f.name}: ${f.source === "builtin" ? d.ui.builtin : f.source}${f.warning ? ` — ${f.warning}` : ""}`)));
  text("settings-msg", "");
  ($("settings-dialog") as HTMLDialogElement).showModal();
  input("set-city").focus();
}

async function importCalendar(path: string) {
  try {
    const before = new Set(desk.calendarYears);
    desk = await call("importCalendar", path);
    const year = desk.calendarYears.find((y) => !before.has(y)) ?? "";
    text("settings-msg", fill(t().ui.imported, { year }));
    text("calendar-years", `${t().ui.calendarYears}: ${desk.calendarYears.join(", ")}`);
    renderBanner();
  } catch (e) {
    showError(e, $("settings-msg"));
  }
}

async function saveSettings() {
  const s = { ...desk.settings };
  for (const [k] of SETTINGS_FIELDS) {
    const v = input(`set-${k}`).value;
    if (NUMERIC.has(k)) (s as Record<string, unknown>)[k] = Number(v);
    else (s as Record<string, unknown>)[k] = v;
  }
  s.language = (input("set-language") as unknown as HTMLSelectElement).value as Language;
  Object.assign(s, audio.settingsValues(), speech.settingsValues());
  try {
    desk = await call("saveSettings", s);
    lang = desk.settings.language;
    ($("settings-dialog") as HTMLDialogElement).close();
    build();
    render();
  } catch (e) {
    showError(e, $("settings-msg"));
    if (e instanceof DeskError && e.detail.field) document.getElementById(`set-${e.detail.field}`)?.focus();
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
      const st = a.kind === "asked" ? "asked" : view?.call.elements[currentElement].state === "not_applicable" ? "asked" : "not_applicable";
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
      lang = lang === "en" ? "zh-CN" : "en";
      build();
      render();
      auth.relabel();
      review.relabel();
      return;
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
  if (queue.isOpen() && queue.onKey(e)) return;
  if (setDlg.open) {
    if (e.key === "Enter") { e.preventDefault(); void saveSettings(); }
    return; // Escape closes the dialog natively
  }
  const a = actionFor(e);
  if (!a) return;
  e.preventDefault();
  e.stopPropagation();
  void run(a);
}

// ------------------------------------------------------------------- start

/** After sign-in or unlock: the desk as this user may see it. */
async function signedIn() {
  desk = await call("getState");
  syncClock(desk.now);
  view = desk.active;
  build();
  render();
}

async function start() {
  desk = await call("getState");
  syncClock(desk.now);
  lang = desk.settings.language;
  view = desk.active;
  await auth.initAuth({ lang: () => lang, signedIn });
  auth.relabel();
  review.initReview({
    lang: () => lang,
    shifts: () => desk.settings.shifts.split(/[,，;；]/).map((x) => x.trim().split(/\s+/).slice(1).join(" ")).filter(Boolean),
    labelOf: (k) => labelOf(k) ?? desk.phrases[lang === "en" ? "en" : "zh"].situations.find((x) => x.kind === k)?.label,
    showError,
  });
  $("review-btn").addEventListener("click", () => void run({ kind: "review" }));
  speech.initSpeech((k) => void acceptOffer(k), labelOf);
  const num = input("caller-number");
  savers.set("caller-number", new FieldSaver(num, async (v) => {
    if (!open()) return;
    try {
      view = await call("setCallerNumber", v);
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
    if (open()) view = await call("setNotes", v);
    render();
  }, (s) => fieldStatus("notes-msg", s)));

  const search = input("ref-search");
  let results: string[] = [];
  const doSearch = async () => {
    const deps = await call("searchReferrals", search.value, lang);
    results = deps.map((d) => d.name);
    $("ref-results").replaceChildren(...deps.slice(0, 6).map((d, i) => {
      const li = h("li", { id: `ref-${i}` }, h("b", {}, `${d.name} ${d.phone}`), h("div", {}, d.handles), h("div", { class: "addr" }, d.address));
      li.addEventListener("click", () => void act(() => call("addReferral", d.name)));
      return li;
    }));
  };
  search.addEventListener("input", () => void doSearch().catch(showError));
  search.addEventListener("focus", () => void doSearch().catch(showError));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && results[0]) { e.preventDefault(); void act(() => call("addReferral", results[0])); }
  });

  ($("settings-form") as HTMLFormElement).addEventListener("submit", (e) => { e.preventDefault(); void saveSettings(); });
  window.addEventListener("keydown", onKey, true);
  build();
  render();
  window.setInterval(tick, 250);
  queue.initQueue({ lang: () => lang, takerId: () => auth.current().user?.id ?? desk.settings.takerId, showError });
  window.setInterval(() => void pollQueue(), 60_000);
  void pollQueue(); // a joined desk's state holds only this seat's counts until the station is asked
  station.initStation(() => lang);
  audio.initAudio({
    lang: () => lang,
    showError,
    async callChanged() {
      const before = view?.call.id;
      const s = await call("getState");
      // A missed call closes at once: keep showing it as the last call.
      view = s.active ?? (before !== undefined ? await call("getCall", before).catch(() => view) : view);
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
