// The complaint follow-up queue (F11): what is due, what is overdue, and
// the form that records a reply. Closing needs a reply: there is no other
// way to take a promise off the queue.
import type { FollowUpView, Language, ReplyMethod } from "./bindings";
import { call } from "./api";
import { $, dateTime, fromLocalInput, h, input, localInput, nowMs } from "./dom";
import { dict, fill } from "./i18n";
import { joined } from "./station";

export interface QueueHost {
  lang(): Language;
  takerId(): string;
  /** The signed-in user as a reply's author ("name (id)"), or null. */
  author(): string | null;
  showError(e: unknown, where?: HTMLElement): void;
}

const METHODS: ReplyMethod[] = ["phone", "sms", "in_person", "letter"];
let items: FollowUpView[] = [];
/** The station could not be asked: these are this seat's only. */
let seatOnly = false;
let selected = 0;
let host: QueueHost;

export function isOpen(): boolean {
  return !$("queue").hidden;
}

export function initQueue(h_: QueueHost) {
  host = h_;
  $("queue-closed").addEventListener("change", () => void refresh());
  ($("reply-form") as HTMLFormElement).addEventListener("submit", (e) => {
    e.preventDefault();
    void saveReply();
  });
}

export async function toggle() {
  const q = $("queue");
  q.hidden = !q.hidden;
  document.body.dataset.view = q.hidden ? "desk" : "queue";
  if (!q.hidden) {
    await refresh();
    $("queue-table").focus();
  }
}

export function close() {
  $("queue").hidden = true;
  document.body.dataset.view = "desk";
}


export async function refresh() {
  const d = dict(host.lang());
  const showClosed = (input("queue-closed") as HTMLInputElement).checked;
  try {
    const q = await call("listFollowups", !showClosed);
    items = q.items;
    seatOnly = q.thisSeatOnly;
  } catch (e) {
    host.showError(e);
    return;
  }
  selected = Math.min(selected, Math.max(0, items.length - 1));
  $("queue-title").textContent = d.q.title;
  $("queue-hint").textContent = seatOnly ? `${d.q.hint} · ${d.q.seatOnly}` : d.q.hint;
  $("queue-closed-label").textContent = d.q.showClosed;
  // A joined desk shows every seat's promises: the seat says whose.
  const seats = joined() || items.some((v) => v.seat !== "");
  const cols = (seats ? ["seat"] : []).concat(["id", "call", "complainant", "phone", "subject", "received", "due", "left", "status"]);
  const head = h("tr", {}, ...cols.map((k) => h("th", {}, d.q[k])));
  const rows = items.map((v, i) => {
    const f = v.followup;
    const left = v.status === "closed" ? "—"
      : v.status === "overdue" ? fill(d.q.overdueBy, { n: -v.hoursLeft })
      : `${fill(d.q.days, { n: v.workingDaysLeft })} · ${fill(d.q.hours, { n: v.hoursLeft })}`;
    const flags = [
      f.provisional ? h("span", { class: "flag prov" }, fill(d.q.provisional, { years: f.missingYears.join("、") })) : "",
      f.complaint.misconductNow ? h("span", { class: "flag bad" }, d.q.misconduct) : "",
    ];
    const tr = h("tr", { id: v.seat ? `fu-${v.seat}-${f.id}` : `fu-${f.id}`, "data-status": v.status, class: i === selected ? "sel" : "" },
      ...(seats ? [h("td", {}, v.seat)] : []), h("td", {}, String(f.id)), h("td", {}, `#${f.callId}`),
      ...(v.redacted ? [h("td", { colspan: "3", class: "hidden-who" }, d.q.hidden)]
        : [h("td", {}, f.complaint.name), h("td", {}, f.complaint.phone), h("td", {}, f.complaint.subject)]), h("td", {}, dateTime(f.receivedAt)),
      h("td", { class: "due" }, dateTime(f.dueAt)), h("td", {}, left),
      h("td", {}, h("span", { class: `st st-${v.status}` }, d.fstatus[v.status]), ...flags));
    tr.addEventListener("click", () => { selected = i; render(); openReply(); });
    return tr;
  });
  $("queue-table").replaceChildren(h("thead", {}, head), h("tbody", {}, ...rows));
  $("queue-empty").hidden = items.length > 0;
  $("queue-empty").textContent = d.q.empty;
  render();
}

function render() {
  document.querySelectorAll("#queue-table tbody tr").forEach((tr, i) => tr.classList.toggle("sel", i === selected));
  const v = items[selected];
  const detail = $("queue-detail");
  if (!v) return detail.replaceChildren();
  const d = dict(host.lang());
  const f = v.followup;
  if (v.redacted) return detail.replaceChildren(h("p", { class: "hidden-who" }, d.q.hiddenWhy));
  detail.replaceChildren(
    h("p", {}, h("b", {}, `${d.complaint.what_happened}：`), f.complaint.whatHappened || "—"),
    h("p", {}, `${d.complaint.address}：${f.complaint.address || "—"} · ${d.complaint.work_unit}：${f.complaint.workUnit || "—"}`),
    ...(f.replies.length ? [h("h4", {}, d.q.replies), h("ul", {}, ...f.replies.map((r) =>
      h("li", {}, `${dateTime(r.at)} ${r.by}${r.origin ? ` (${fill(d.q.atSeat, { seat: r.origin.split("#")[0] })})` : ""} · ${d.method[r.method]} · ${r.content} → ${r.outcome}${r.closes ? " ✓" : ""}`)))] : []),
    ...(f.log.length ? [h("h4", {}, d.q.history), h("ul", {}, ...f.log.map((l) => h("li", {}, `${dateTime(l.at)} ${l.what}`)))] : []),
  );
}

function openReply() {
  const v = items[selected];
  // The backend refuses a reply from whoever may not see the complainant.
  if (!v || v.status === "closed" || v.redacted) return;
  const d = dict(host.lang());
  const local = localInput(new Date(nowMs()));
  const author = host.author();
  $("reply-title").textContent = fill(d.q.replyTitle, { id: v.seat ? `${v.seat}-${v.followup.id}` : v.followup.id });
  $("reply-fields").replaceChildren(
    h("label", {}, h("span", {}, d.q.at), h("input", { id: "reply-at", type: "datetime-local", value: local })),
    // Signed in, the reply is theirs (the desk writes it so whatever is sent).
    h("label", {}, h("span", {}, d.q.by), author
      ? h("input", { id: "reply-by", value: author, readonly: "" })
      : h("input", { id: "reply-by", value: host.takerId(), maxlength: "64" })),
    h("label", {}, h("span", {}, d.q.method), h("select", { id: "reply-method" }, ...METHODS.map((m) => h("option", { value: m }, d.method[m])))),
    h("label", {}, h("span", {}, d.q.content), h("input", { id: "reply-content", maxlength: "600" })),
    h("label", {}, h("span", {}, d.q.outcome), h("input", { id: "reply-outcome", maxlength: "600" })),
    h("label", { class: "check" }, h("input", { id: "reply-closes", type: "checkbox", checked: "" }), h("span", {}, d.q.closes)),
    h("button", { type: "submit", id: "reply-save" }, d.q.save),
  );
  $("reply-msg").textContent = "";
  ($("reply-dialog") as HTMLDialogElement).showModal();
  input("reply-content").focus();
}

async function saveReply() {
  const v = items[selected];
  if (!v) return;
  // The field shows minutes; left as opened, the reply is dated now, to
  // the second (a reply in the complaint's own minute is not "before" it).
  const typed = input("reply-at");
  const at = typed.value === typed.defaultValue ? new Date(nowMs()) : fromLocalInput(typed.value);
  try {
    await call("addReply", v.seat, v.followup.id, v.followup.replies.length, {
      at: isNaN(at.getTime()) ? new Date(nowMs()).toISOString() : at.toISOString(),
      by: input("reply-by").value,
      method: (input("reply-method") as unknown as HTMLSelectElement).value as ReplyMethod,
      content: input("reply-content").value,
      outcome: input("reply-outcome").value,
      closes: input("reply-closes").checked,
      origin: null,
    });
    ($("reply-dialog") as HTMLDialogElement).close();
    await refresh();
    $("queue-table").focus();
  } catch (e) {
    host.showError(e, $("reply-msg"));
  }
}

/** Keys while the queue is shown; returns true when handled. */
export function onKey(e: KeyboardEvent): boolean {
  if (($("reply-dialog") as HTMLDialogElement).open) return false; // the form's own keys
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    selected = Math.max(0, Math.min(items.length - 1, selected + (e.key === "ArrowDown" ? 1 : -1)));
    render();
  } else if (e.key === "Enter") openReply();
  else if (e.key === "Escape") close();
  else return false;
  e.preventDefault();
  return true;
}
