// The station link in the header (issue #12): hidden on a one-seat desk;
// online, changes waiting to upload, or offline since when. The worker runs
// in the backend; this polls its status once a second.
import type { Language } from "./bindings";
import { call } from "./api";
import { $, hhmm } from "./dom";
import { dict, fill } from "./i18n";

let isJoined = false;

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
  el.hidden = !s.joined;
  if (!s.joined) return;
  const d = dict(lang).station;
  const state = !s.online ? "offline" : s.backlog > 0 ? "behind" : "online";
  el.dataset.state = state;
  el.textContent = `● ${fill(d[state], { seat: s.seat, n: s.backlog, t: s.offlineSince ? hhmm(s.offlineSince) : "—" })}`;
  el.title = [s.url, s.error].filter(Boolean).join("\n");
}
