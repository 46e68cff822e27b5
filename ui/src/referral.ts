// The referral search (consultations): the station's directory, searched
// as the call-taker types; Enter or a click refers the caller.
import { act } from "./call";
import { call } from "./api";
import { $, h, input } from "./dom";
import { s, showError } from "./shared";

export function initReferral() {
  const search = input("ref-search");
  let results: string[] = [];
  const doSearch = async () => {
    const deps = await call("searchReferrals", search.value, s.lang);
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

}
