// The lead's list of crossed edits at the station (issue #12): replies,
// corrections, reviews and account changes two seats made without seeing
// each other's. Both are kept; this says which record, from where, when.
import type { Conflict, Language } from "./bindings";
import { call } from "./api";
import { $, dateTime, h } from "./dom";
import { rdict } from "./review-text";

export async function renderConflicts(lang: Language) {
  const list: Conflict[] = await call("stationConflicts");
  const c = rdict(lang).conflict;
  const row = (x: Conflict) => h("tr", { "data-kind": x.kind },
    h("td", {}, dateTime(x.at)), h("td", {}, c[x.kind] ?? x.kind), h("td", {}, x.id ? `${x.seat} #${x.id}` : x.seat),
    h("td", {}, x.fromSeat), h("td", { class: "detail" }, says(x), h("div", { class: "raw", title: c.raw }, x.detail)));
  // The station's own words are kept under the sentence: they carry the
  // values (addresses, scores) and are the same as the CLI prints.
  const says = (x: Conflict) => (c[`says.${x.kind}`] ?? "")
    .replace("{seat}", x.seat).replace("{id}", String(x.id)).replace("{from}", x.fromSeat);
  $("rv-conflicts").replaceChildren(
    h("p", { class: "conflict-hint" }, c.hint),
    list.length
      ? h("table", { id: "conflicts-table" },
        h("thead", {}, h("tr", {}, ...[c.at, c.kind, c.record, c.from, c.detail].map((x) => h("th", {}, x)))),
        h("tbody", {}, ...list.map(row)))
      : h("p", { id: "conflicts-none" }, c.none));
  document.body.dataset.conflicts = String(list.length);
}
