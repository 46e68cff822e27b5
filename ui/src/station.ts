// The station link in the header (issue #12): hidden on a one-seat desk;
// online, changes waiting to upload, or offline since when. The worker runs
// in the backend; this polls its status once a second.
import type { Language, StationStatus } from "./bindings";
import { call } from "./api";
import { $, h, hhmm } from "./dom";
import { dict, fill } from "./i18n";

let isJoined = false;
let last: StationStatus | null = null;

/** Whether this desk is a seat of a station (as last polled). */
export function joined(): boolean {
  return isJoined;
}

export function initStation(lang: () => Language) {
  window.setInterval(() => void poll(lang()), 1000);
  void poll(lang());
}

async function poll(lang: Language) {
  const el = $("station");
  let s;
  try {
    s = await call("stationStatus");
  } catch {
    return;
  }
  isJoined = s.joined;
  last = s;
  el.hidden = !s.joined;
  if (!s.joined) return;
  const d = dict(lang).station;
  const state = !s.online ? "offline" : s.backlog > 0 ? "behind" : "online";
  el.dataset.state = state;
  el.textContent = `● ${fill(d[state], { seat: s.seat, n: s.backlog, t: s.offlineSince ? hhmm(s.offlineSince) : "—" })}`;
  el.title = [s.url, s.error].filter(Boolean).join("\n");
}

/** Settings' station section (shift lead): create the schema, join this
 * desk as a seat, or leave; the same actions as `jiejing station`. */
export function settingsSection(lang: Language, showError: (e: unknown, where?: HTMLElement) => void): HTMLElement {
  const d = dict(lang).station;
  const msg = h("p", { class: "msg", id: "station-msg" });
  // After an action the section is drawn again from the worker's status
  // (joined: the seat and the URL without its password), with the outcome.
  const button = (id: string, label: string, joins: boolean, act: () => Promise<string>) => {
    const b = h("button", { type: "button", id }, label);
    b.addEventListener("click", async () => {
      msg.textContent = "";
      try {
        const said = await act();
        // The worker notices a join or a leave within a tick or two.
        for (let i = 0; i < 20; i++) {
          await poll(lang);
          if (last?.joined === joins) break;
          await new Promise((r) => window.setTimeout(r, 150));
        }
        const next = settingsSection(lang, showError);
        (next.querySelector("#station-msg") as HTMLElement).textContent = said;
        section.replaceWith(next);
      } catch (e) {
        showError(e, msg);
      }
    });
    return b;
  };
  const s = last;
  let section: HTMLElement;
  if (s?.joined) {
    const state = !s.online ? "offline" : s.backlog > 0 ? "behind" : "online";
    section = h("fieldset", { class: "audio-settings station-settings" }, h("legend", {}, d.section),
      h("p", { id: "station-now" }, `${fill(d[state], { seat: s.seat, n: s.backlog, t: s.offlineSince ? hhmm(s.offlineSince) : "—" })} · ${s.url}`),
      h("div", { class: "buttons" }, button("station-leave", d.leave, false, async () => {
        const force = s.backlog > 0 && window.confirm(fill(d.leaveQueued, { n: s.backlog }));
        await call("stationLeave", force);
        return d.left;
      })),
      msg);
    return section;
  }
  const url = h("input", { id: "set-station-url", placeholder: "postgres://jiejing:密码@服务器/jiejing", autocomplete: "off" });
  const seat = h("input", { id: "set-station-seat", placeholder: "A01", maxlength: "64" });
  const val = (e: HTMLElement) => (e as HTMLInputElement).value.trim();
  section = h("fieldset", { class: "audio-settings station-settings" }, h("legend", {}, d.section),
    h("p", { id: "station-now" }, d.alone),
    h("label", {}, h("span", {}, d.url), url),
    h("label", {}, h("span", {}, d.seat), seat),
    h("div", { class: "buttons" },
      button("station-init", d.init, false, async () => fill(d.initDone, { v: await call("stationInit", val(url)) })),
      button("station-join", d.join, true, async () => fill(d.joined, { n: await call("stationJoin", val(url), val(seat)) }))),
    msg);
  return section;
}
