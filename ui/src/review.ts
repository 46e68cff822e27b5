// The shift lead's review screen (F12): the call log with filters and
// paging, one call's timeline, record and QA checklist, the dashboard with
// charts and exports (accounts.ts and conflicts.ts are its other tabs).
// Every command here is refused by the
// backend to anyone but a signed-in lead; the screen is only hidden.
import type {
  CallDetail, Disposition, ElementKey, Language, LogCursor, LogFilter, LogRow, Printed, QaMark, Report, ReviewFilter, ReviewScope,
  SituationKind, Verdict,
} from "./bindings";
import { DISPOSITIONS, ELEMENTS, SITUATIONS } from "./bindings";
import { call } from "./api";
import { $, dateTime, fromLocalInput, h, hhmm, input, localInput, nowMs } from "./dom";
import { transcriptItems } from "./speech";
import { player, playerKey, seekPoints, stop as stopPlayer } from "./player";
import { dict, fill } from "./i18n";
import { rdict } from "./review-text";
import { barChart, dayChart } from "./charts";
import { renderAccounts } from "./accounts";
import { renderConflicts } from "./conflicts";
import { joined } from "./station";

const PAGE = 50;

type Ctx = {
  lang: () => Language;
  shifts: () => string[];
  labelOf: (key: string) => string | undefined;
  showError: (e: unknown, where?: HTMLElement) => void;
};
let ctx: Ctx;
let built = false;
let tab: "log" | "dash" | "users" | "conflicts" = "log";
const TABS = ["log", "dash", "users", "conflicts"] as const;
let cursors: (LogCursor | null)[] = [null];
let rows: LogRow[] = [];
/** The last page came from this desk only though it is joined. */
let seatOnly = false;

/** A log row's element id: seat and id, since two seats share ids. */
const rowId = (row: LogRow) => (row.seat ? `log-${row.seat}-${row.id}` : `log-${row.id}`);
let detail: CallDetail | null = null;
/** The open call's player, kept across re-renders so it plays on. */
let playerBox: HTMLElement | null = null;
let marks: QaMark[] = [];
let notesDraft = ""; // the reviewer's notes survive re-rendering the checklist

const d = () => rdict(ctx.lang());
const sel = (id: string) => $(id) as HTMLSelectElement;
const say = (msg: string) => ($("rv-msg").textContent = msg);

export function isOpen(): boolean {
  return !$("review").hidden;
}

/** The review screen's own keys (the player's); true when handled. */
export function onKey(e: KeyboardEvent): boolean {
  return isOpen() && tab === "log" && playerKey(e);
}

export function close() {
  if ($("review").hidden) return;
  stopPlayer();
  $("review").hidden = true;
  document.body.dataset.view = "desk";
}

export async function open() {
  if (!built) build();
  $("review").hidden = false;
  document.body.dataset.view = "review";
  await show(tab);
}

function today(): string {
  return localInput(new Date(nowMs())).slice(0, 10);
}

/** A day typed as YYYY-MM-DD. The fields are text, not type=date: WebKit
 * draws a date picker in the process's locale (MM/DD/YYYY under an English
 * system), whatever the desk's language. */
function day(id: string, label: string): string {
  const v = input(id).value.trim();
  const t = new Date(`${v}T00:00:00Z`);
  // 2026-02-30 parses as 2026-03-02: the round trip catches it.
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(t.getTime()) && t.toISOString().startsWith(v);
  input(id).setAttribute("aria-invalid", String(!ok));
  if (!ok) throw `${label}: ${d().r.badDate}`;
  // A date put right takes its error away with it.
  const toast = $("toast");
  if (toast.textContent?.endsWith(d().r.badDate)) toast.hidden = true;
  return v;
}

function scope(): ReviewScope {
  const r = d().r;
  const from = fromLocalInput(`${day("rv-from", r.from)}T00:00`);
  const to = fromLocalInput(`${day("rv-to", r.to)}T00:00`);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from: from.toISOString(), to: to.toISOString(), taker: input("rv-taker").value.trim() || null, shift: sel("rv-shift").value || null, thisSeatOnly: false };
}

function filter(): LogFilter {
  return {
    disposition: (sel("f-disp").value || null) as Disposition | null,
    situation: (sel("f-sit").value || null) as SituationKind | null,
    caller: input("f-caller").value.trim() || null,
    failed: input("f-failed").checked,
    text: input("f-text").value.trim() || null,
    review: (sel("f-review").value || null) as ReviewFilter | null,
  };
}

function options(id: string, first: string, items: [string, string][]) {
  sel(id).replaceChildren(h("option", { value: "" }, first), ...items.map(([v, t]) => h("option", { value: v }, t)));
}

function build() {
  built = true;
  const r = d().r;
  const desk = dict(ctx.lang());
  const lbl = (forId: string, words: string, el: HTMLElement) => h("label", { for: forId }, h("span", {}, words), el);
  $("review").replaceChildren(
    h("div", { class: "rv-bar" },
      h("h2", {}, r.title),
      lbl("rv-from", r.from, h("input", { id: "rv-from", class: "day", placeholder: "YYYY-MM-DD", maxlength: "10", inputmode: "numeric" })),
      lbl("rv-to", r.to, h("input", { id: "rv-to", class: "day", placeholder: "YYYY-MM-DD", maxlength: "10", inputmode: "numeric" })),
      lbl("rv-shift", r.shift, h("select", { id: "rv-shift" })),
      lbl("rv-taker", r.taker, h("input", { id: "rv-taker", size: "6", maxlength: "64" })),
      h("nav", {}, ...TABS.map((t) => h("button", { id: `tab-${t}`, type: "button", class: "tab" }, t === "conflicts" ? d().conflict.tab : r[t])))),
    h("div", { id: "rv-log" },
      h("div", { class: "rv-filters" },
        h("select", { id: "f-disp" }), h("select", { id: "f-sit" }),
        h("input", { id: "f-caller", placeholder: r.caller, size: "12", maxlength: "40" }),
        h("input", { id: "f-text", placeholder: r.text, size: "16", maxlength: "100" }),
        h("label", { class: "check" }, h("input", { id: "f-failed", type: "checkbox" }), r.failed),
        h("select", { id: "f-review" }),
        h("span", { class: "gap" }),
        h("input", { id: "f-pct", type: "number", min: "0.1", max: "100", step: "0.1", value: "2", class: "pct" }), r.pct,
        h("button", { id: "f-sample", type: "button" }, r.sample),
        h("button", { id: "f-csv", type: "button" }, r.exportCsv), h("button", { id: "f-xlsx", type: "button" }, r.exportXlsx),
        h("button", { id: "f-forms", type: "button", title: r.formsHint }, r.forms)),
      h("div", { class: "rv-split" },
        h("div", { class: "rv-list" }, h("p", { id: "log-seat-only", class: "seat-only", hidden: "" }, desk.station.reportSeatOnly), h("table", { id: "log-table" }),
          h("div", { class: "pager" }, h("button", { id: "pg-prev", type: "button" }, r.prev), h("span", { id: "pg-info" }), h("button", { id: "pg-next", type: "button" }, r.next))),
        h("div", { id: "detail" }))),
    h("div", { id: "rv-dash", hidden: "" }),
    h("div", { id: "rv-users", hidden: "" }),
    h("div", { id: "rv-conflicts", hidden: "" }),
    h("p", { id: "rv-msg", class: "msg", role: "status" }));
  seekPoints($("detail"));
  const t = today();
  input("rv-to").value = t;
  const from = new Date(`${t}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 6);
  input("rv-from").value = from.toISOString().slice(0, 10);
  options("rv-shift", r.allShifts, ctx.shifts().map((s) => [s, s]));
  options("f-disp", r.anyDisp, DISPOSITIONS.map((x) => [x, desk.disposition[x]]));
  options("f-sit", r.anySit, SITUATIONS.map((x) => [x, ctx.labelOf(x) ?? x]));
  options("f-review", r.anyRev, (["sampled", "reviewed", "not_reviewed"] as const).map((x) => [x, r[x]]));
  for (const id of ["rv-from", "rv-to", "rv-shift", "rv-taker", "f-disp", "f-sit", "f-failed", "f-review", "f-caller", "f-text"]) {
    $(id).addEventListener("change", () => void reload());
  }
  for (const id of ["f-caller", "f-text", "rv-taker"]) {
    $(id).addEventListener("keydown", (e) => { if ((e as KeyboardEvent).key === "Enter") void reload(); });
  }
  for (const tb of TABS) $(`tab-${tb}`).addEventListener("click", () => void show(tb));
  $("pg-next").addEventListener("click", () => void page(+1));
  $("pg-prev").addEventListener("click", () => void page(-1));
  $("f-sample").addEventListener("click", () => void sample());
  $("f-csv").addEventListener("click", () => void exportNow("log", "csv"));
  $("f-xlsx").addEventListener("click", () => void exportNow("log", "xlsx"));
  $("f-forms").addEventListener("click", () => void printForms(() => call("printForms", scope())));
}

async function show(t: typeof tab) {
  tab = t;
  // Conflicts are a station's: a one-seat desk has none to show.
  $("tab-conflicts").hidden = !joined();
  for (const x of TABS) {
    $(`rv-${x}`).hidden = x !== t;
    $(`tab-${x}`).classList.toggle("on", x === t);
  }
  say("");
  try {
    if (t === "log") await reload();
    if (t === "dash") await dashboard();
    if (t === "users") await renderAccounts(ctx.lang(), ctx.showError);
    if (t === "conflicts") await renderConflicts(ctx.lang());
  } catch (e) {
    ctx.showError(e, $("rv-msg"));
  }
}

async function reload() {
  if (tab === "dash") return show("dash");
  cursors = [null];
  detail = null;
  stopPlayer();
  playerBox = null;
  $("detail").replaceChildren(h("p", { class: "hint" }, d().r.pick));
  await page(0);
}

/** Keyset paging: each page starts after the last row of the one before. */
async function page(step: number) {
  if (step > 0) {
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    cursors.push({ ringAt: last.ringAt, seat: last.seat, id: last.id });
  } else if (step < 0) {
    if (cursors.length <= 1) return;
    cursors.pop();
  }
  try {
    const got = await call("reviewLog", scope(), filter(), cursors[cursors.length - 1], PAGE);
    rows = got.rows;
    seatOnly = got.thisSeatOnly;
  } catch (e) {
    return ctx.showError(e, $("rv-msg"));
  }
  renderLog();
}

function renderLog() {
  const r = d().r;
  const desk = dict(ctx.lang());
  // A station's log: every seat's calls, each with its seat.
  const seats = rows.some((row) => row.seat !== "");
  const head = h("tr", {}, ...[...(seats ? [desk.q.seat] : []), r.no, r.time, r.taker, r.caller, r.disp, r.rings, r.answer, r.items, r.problems, r.score].map((x) => h("th", {}, x)));
  const body = rows.map((row, i) => {
    const tr = h("tr", { id: rowId(row), "data-id": String(row.id), "data-seat": row.seat, tabindex: "0" },
      ...(seats ? [h("td", {}, row.seat)] : []), h("td", {}, String(row.id)), h("td", {}, dateTime(row.ringAt)), h("td", {}, row.takerId), h("td", {}, row.callerNumber),
      h("td", {}, row.disposition ? desk.disposition[row.disposition] : row.failures.includes("missed") ? d().failure.missed : ""),
      h("td", { class: row.failures.includes("over_three_rings") ? "bad" : "" }, row.ringsBeforeAnswer === null ? "" : String(row.ringsBeforeAnswer)),
      h("td", {}, row.answerS === null ? "" : row.answerS.toFixed(1)),
      h("td", { class: row.failures.includes("elements_missing") ? "bad" : "" }, `${row.elementsDone}/8`),
      h("td", { class: "fails" }, ...row.failures.map((f) => h("span", { class: `fail ${f}` }, d().failure[f]))),
      h("td", {}, row.review === "reviewed" ? String(row.score ?? "") : row.review === "sampled" ? r.sampled : ""));
    tr.addEventListener("click", () => void openDetail(i));
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void openDetail(i);
      if (e.key === "ArrowDown") (tr.nextElementSibling as HTMLElement | null)?.focus();
      if (e.key === "ArrowUp") (tr.previousElementSibling as HTMLElement | null)?.focus();
    });
    return tr;
  });
  $("log-table").replaceChildren(h("thead", {}, head), h("tbody", {}, ...body));
  $("log-seat-only").hidden = !seatOnly;
  $("pg-info").textContent = rows.length ? fill(r.page, { n: cursors.length }) : r.empty;
  ($("pg-prev") as HTMLButtonElement).disabled = cursors.length <= 1;
  ($("pg-next") as HTMLButtonElement).disabled = rows.length < PAGE;
  document.body.dataset.logRows = String(rows.length);
}

async function openDetail(i: number) {
  const row = rows[i];
  try {
    detail = await call("callDetail", row.seat, row.id);
  } catch (e) {
    return ctx.showError(e, $("rv-msg"));
  }
  for (const tr of $("log-table").querySelectorAll("tr.sel")) tr.classList.remove("sel");
  $(rowId(row)).classList.add("sel");
  marks = (detail.review?.marks.length ? detail.review.marks : detail.suggested).map((m) => ({ ...m }));
  notesDraft = detail.review?.notes ?? "";
  playerBox = null;
  renderDetail(row);
  // The recording loads after the record shows (it is heard on the record).
  const det = detail;
  playerBox = await player(row.seat, row.id, det.timeline, d().player, ctx.showError);
  if (detail === det) renderDetail(row);
}

function renderDetail(row: LogRow) {
  const det = detail!;
  const c = det.view.call;
  const r = d().r;
  const rd = d();
  const desk = dict(ctx.lang());
  const label = (k: string) => ctx.labelOf(k) ?? k;
  // A timeline line's subject in words: the item, how the call was
  // answered, its disposition; nobody for what the desk itself did.
  const eventSubject = (kind: string, subject: string): string => {
    if (kind === "element" || kind === "situation") return label(subject);
    if (kind === "answer") return rd.source[subject] ?? subject;
    if (kind === "close") return (desk.disposition as Record<string, string>)[subject] ?? subject;
    return kind === "recording_resumed" ? "" : subject;
  };
  const amendCell = (key: ElementKey | null, value: string) => {
    const cell = h("td", { class: "val" }, value);
    const btn = h("button", { type: "button", class: "small", id: `amend-${key ?? "notes"}` }, r.correct);
    btn.addEventListener("click", () => {
      const inp = h("input", { value, maxlength: "600", id: `amend-input-${key ?? "notes"}`, "aria-label": r.correctPrompt });
      cell.replaceChildren(inp);
      inp.focus();
      inp.addEventListener("keydown", async (e) => {
        if (e.key === "Escape") return renderDetail(row);
        if (e.key !== "Enter") return;
        try {
          // The value shown goes with it: another lead's change meanwhile
          // is then a conflict the station records, not a silent overwrite.
          detail = await call("amendCall", det.seat, c.id, key, inp.value, value);
          renderDetail(row);
          say(r.saved);
        } catch (err) {
          ctx.showError(err, $("rv-msg"));
        }
      });
    });
    return [cell, h("td", {}, c.state === "closed" && c.answeredAt ? btn : "")];
  };
  const record = h("table", { class: "record" },
    ...ELEMENTS.map((k) => h("tr", {}, h("th", {}, label(k)), ...amendCell(k, c.elements.find((e) => e.key === k)!.value), h("td", { class: `el-state ${c.elements.find((e) => e.key === k)!.state}` }, desk.elementState[c.elements.find((e) => e.key === k)!.state]))),
    h("tr", {}, h("th", {}, r.notes2), ...amendCell(null, c.notes), h("td", {})),
    h("tr", {}, h("th", {}, r.disp), h("td", { colspan: "3" }, c.disposition ? desk.disposition[c.disposition] : c.missed ? rd.failure.missed : "")));
  const timeline = h("ol", { id: "timeline", class: "timeline" }, ...det.timeline.map((ev) =>
    h("li", { "data-kind": ev.kind, "data-at": ev.at }, h("time", {}, hhmm(ev.at)), h("b", {}, rd.event[ev.kind] ?? ev.kind), " ",
      eventSubject(ev.kind, ev.subject), ev.text ? ` — ${ev.text}` : "")));
  const sev = new Map(det.severities.map(([i, s]) => [i, s]));
  const qa = h("table", { id: "qa", class: "qa" }, ...marks.map((m, i) => h("tr", { "data-item": m.item },
    h("th", {}, rd.item[m.item], h("small", { class: `sev ${sev.get(m.item)}` }, rd.severity[sev.get(m.item)!])),
    ...(["pass", "deviation", "na"] as Verdict[]).map((v) => {
      const b = h("button", { type: "button", class: `verdict ${v}${m.verdict === v ? " on" : ""}`, id: `qa-${m.item}-${v}` }, rd.verdict[v]);
      b.addEventListener("click", () => { marks[i].verdict = v; renderDetail(row); });
      return h("td", {}, b);
    }))));
  const notes = h("textarea", { id: "qa-notes", rows: "2", maxlength: "2000" });
  notes.value = notesDraft;
  notes.addEventListener("input", () => (notesDraft = notes.value));
  const save = h("button", { id: "qa-save", type: "button" }, r.saveReview);
  save.addEventListener("click", async () => {
    try {
      detail = await call("saveReview", det.seat, c.id, marks as QaMark[], notes.value);
      row.review = "reviewed";
      row.score = detail.review?.score ?? null;
      renderLog();
      $(rowId(row)).classList.add("sel");
      renderDetail(row);
      say(r.saved);
    } catch (e) {
      ctx.showError(e, $("rv-msg"));
    }
  });
  const rv = det.review;
  const scoreLine = rv && rv.status === "reviewed"
    ? [fill(r.scoreIs, { score: rv.score ?? "—" }), rv.critical ? ` · ${r.critical}` : "", " · ", fill(r.reviewedBy, { who: rv.reviewer ?? "", at: dateTime(rv.reviewedAt!) })].join("")
    : "";
  const print = h("button", { type: "button", id: "form-print", class: "small" }, r.form);
  print.addEventListener("click", () => void printForms(() => call("printForm", det.seat, c.id)));
  $("detail").replaceChildren(
    h("div", { class: "detail-head" }, h("h3", {}, `${det.seat ? `${fill(desk.station.otherSeat, { seat: det.seat })} · ` : ""}#${c.id} · ${c.takerId} · ${c.callerNumber || "—"} · ${dateTime(c.ringAt)}`), print),
    h("div", { class: "fails" }, ...row.failures.map((f) => h("span", { class: `fail ${f}` }, rd.failure[f])),
      // Answered in English or the dialect (Alt+L): the lead hears it so.
      ...(c.phraseLanguage && c.phraseLanguage !== "zh-CN"
        ? [h("span", { class: "fail phrase-lang", id: "detail-phrase-lang" }, c.phraseLanguage === "en" ? r.inEnglish : r.inDialect)] : [])),
    h("div", { class: "cols" },
      h("div", {}, playerBox ?? h("p", { id: "rv-player", class: "hint", "data-state": "loading" }, rd.player.loading),
        h("h4", {}, r.record), record, h("h4", {}, r.timeline), timeline,
        ...(c.id && det.view.speech.length ? [h("h4", {}, dict(ctx.lang()).speech.title), h("ol", { id: "rv-transcript", class: "transcript" }, ...transcriptItems(det.view.speech, ctx.lang()))] : [])),
      h("div", {}, h("h4", {}, r.qa), qa, h("label", { class: "notes" }, h("span", {}, r.notes), notes), save, h("span", { id: "qa-score", class: rv?.critical ? "bad" : "" }, ` ${scoreLine}`))));
}

async function sample() {
  try {
    const n = await call("drawSample", scope(), Number(input("f-pct").value));
    sel("f-review").value = "sampled";
    await reload();
    say(fill(d().r.drawn, { n }));
  } catch (e) {
    ctx.showError(e, $("rv-msg"));
  }
}

async function exportNow(kind: "log" | "dashboard", format: "csv" | "xlsx") {
  try {
    const out = await call("exportRecords", kind, format, scope(), filter());
    document.body.dataset.lastExport = out.path;
    say(fill(d().r.exported, { rows: out.rows, path: out.path }));
  } catch (e) {
    ctx.showError(e, $("rv-msg"));
  }
}

/** The 接警登记表 of a call or of the scope's days, as a PDF the desk
 * opens in its viewer to print. */
async function printForms(print: () => Promise<Printed>) {
  try {
    const out = await print();
    document.body.dataset.lastExport = out.path;
    say(fill(out.opened ? d().r.printed : d().r.printedClosed, { n: out.forms, path: out.path }));
  } catch (e) {
    ctx.showError(e, $("rv-msg"));
  }
}

// ------------------------------------------------------------- dashboard

const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
const sec = (v: number | null, s: string) => (v === null ? "—" : `${v.toFixed(1)} ${s}`);

async function dashboard() {
  const rep: Report = await call("dashboard", scope());
  const r = d().r;
  const desk = dict(ctx.lang());
  const card = (k: string, v: string, bad = false) => h("div", { class: `card${bad ? " bad" : ""}` }, h("span", {}, k), h("b", {}, v));
  const f = rep.followups;
  const exp = (fmt: "csv" | "xlsx") => {
    const b = h("button", { type: "button", id: `dash-${fmt}` }, fmt === "csv" ? r.exportCsv : r.exportXlsx);
    b.addEventListener("click", () => void exportNow("dashboard", fmt));
    return b;
  };
  $("rv-dash").replaceChildren(
    ...(rep.thisSeatOnly ? [h("p", { class: "seat-only", id: "dash-seat-only" }, desk.station.reportSeatOnly)] : []),
    h("div", { class: "cards", id: "dash-cards" },
      card(r.calls, String(rep.calls)), card(r.missed, String(rep.missed), rep.missed > 0),
      card(r.threeRing, pct(rep.threeRingPct), (rep.threeRingPct ?? 100) < 90),
      card(`${r.answerTimes} P50 / P90 / P95`, `${sec(rep.answerP50S, r.s)} / ${sec(rep.answerP90S, r.s)} / ${sec(rep.answerP95S, r.s)}`),
      card("≤10 / ≤15 / ≤20 s", `${pct(rep.within10sPct)} / ${pct(rep.within15sPct)} / ${pct(rep.within20sPct)}`),
      card(r.complete, pct(rep.completePct)), card(r.greeted, pct(rep.greetingPct)),
      card(`${r.followups} ${r.due} / ${r.openOverdue}`, `${f.due} / ${f.openOverdue}`, f.openOverdue > 0), card(`${r.followups} ${r.onTime}`, pct(f.onTimePct)),
      card(`${r.qaMean} (${r.reviewedN} ${rep.reviewed})`, rep.qaMean === null ? "—" : String(rep.qaMean)), card(r.criticalN, String(rep.qaCritical), rep.qaCritical > 0),
      exp("csv"), exp("xlsx")),
    h("div", { class: "charts" },
      h("figure", {}, h("figcaption", {}, r.perDay), dayChart(rep.byDay)),
      h("figure", {}, h("figcaption", {}, r.within), barChart([
        { label: "≤10 s", value: rep.within10sPct ?? 0 }, { label: "≤15 s", value: rep.within15sPct ?? 0, target: 90 }, { label: "≤20 s", value: rep.within20sPct ?? 0, target: 95 },
      ], 100, "%")),
      // Call-takers whose rings were never heard have no three-ring figure.
      h("figure", {}, h("figcaption", {}, r.byTaker), barChart(rep.byTaker.flatMap((t) => (t.threeRingPct === null ? [] : [{ label: t.takerId, value: t.threeRingPct, target: 90 }])), 100, "%")),
      h("figure", {}, h("figcaption", {}, r.mix), barChart(Object.entries(rep.dispositions).map(([k, v]) => ({
        label: (desk.disposition as Record<string, string>)[k] ?? (k === "missed" ? d().failure.missed : k), value: v ?? 0,
      })), Math.max(1, ...Object.values(rep.dispositions).map((v) => v ?? 0)), ""))),
    h("table", { class: "takers", id: "dash-takers" },
      h("tr", {}, ...[r.taker, r.calls, r.missed, r.threeRing, "P90", r.complete, r.greeted, r.qaMean].map((x) => h("th", {}, x))),
      ...rep.byTaker.map((t) => h("tr", {}, ...[t.takerId, String(t.calls), String(t.missed), pct(t.threeRingPct), sec(t.answerP90S, r.s), pct(t.completePct), pct(t.greetingPct), t.qaMean === null ? "—" : String(t.qaMean)].map((x) => h("td", {}, x))))));
}

// -------------------------------------------------------------- accounts

export function initReview(c: Ctx) {
  ctx = c;
}

/** Language changed: rebuild on next open. */
export function relabel() {
  if (!built) return;
  built = false;
  if (isOpen()) void open();
}

