// Listening for the phone: the status pill, the big ring counter, and the
// settings section (input device, learn this phone's ring). The ring
// listener runs in the backend; this polls its status four times a second.
import type { AudioStatus, Language } from "./bindings";
import { call } from "./api";
import { $, h, input, text } from "./dom";
import { dict, fill } from "./i18n";
import { renderPartial, renderStatus } from "./speech";

export interface AudioHost {
  lang(): Language;
  /** The listener changed a call (started, answered by voice, missed). */
  callChanged(): Promise<void>;
  showError(e: unknown, where?: HTMLElement): void;
}

/** Seconds of ringing to record when learning a ring. */
const LEARN_SECONDS = 8;

let host: AudioHost;
let changes = -1;
let last: AudioStatus | null = null;

export function initAudio(h_: AudioHost) {
  host = h_;
  window.setInterval(() => void poll(), 250);
  void poll();
}

async function poll() {
  let a: AudioStatus;
  try {
    a = await call("audioStatus");
  } catch {
    return;
  }
  last = a;
  renderStatus(a.speech, host.lang());
  renderPartial(a.partial, host.lang());
  const d = dict(host.lang());
  const el = $("audio");
  el.dataset.state = a.state;
  text("audio", `● ${d.audio[a.state] ?? a.state}${a.device ? ` · ${a.device}` : ""}`);
  // The pill may cut the device name short: the tooltip has it all.
  el.title = [el.textContent, a.detail, a.learned ? `${d.audio.learned}: ${a.learned}` : ""].filter(Boolean).join("\n");
  const rc = $("ring-counter");
  rc.hidden = a.ringing === 0;
  if (a.ringing > 0) {
    text("rings", String(a.ringing));
    rc.dataset.level = a.ringing > 3 ? "over" : a.ringing === 3 ? "warn" : "ok";
    rc.replaceChildren(String(a.ringing), h("small", {}, a.ringing > 3 ? d.ui.ringOver : fill(d.ui.ringNth, { n: a.ringing })));
  }
  if (a.recordedS !== null && document.getElementById("learn-msg")) {
    text("learn-msg", fill(d.audio.recording, { s: Math.min(LEARN_SECONDS, a.recordedS).toFixed(0), of: LEARN_SECONDS }));
  }
  if (a.changes !== changes) {
    const first = changes === -1;
    changes = a.changes;
    if (!first) await host.callChanged();
  }
}

/** The settings dialog's listening section. */
export async function settingsSection(device: string, listen: boolean, callerLine: string, record: boolean, recordingDays: number): Promise<HTMLElement> {
  const d = dict(host.lang());
  const devices = await call("listAudioDevices").catch(() => []);
  const sel = h("select", { id: "set-audioDevice" }, h("option", { value: "" }, d.audio.systemDefault),
    ...devices.map((x) => h("option", { value: x.id }, `${x.name}${x.isDefault ? ` (${d.audio.isDefault})` : ""}`)));
  // A saved device that is not plugged in stays selectable, marked missing.
  if (device && !devices.some((x) => x.id === device)) sel.append(h("option", { value: device }, `${device} (${d.audio.missing})`));
  sel.value = device;
  const on = h("input", { id: "set-listen", type: "checkbox" });
  on.checked = listen;
  const line = h("select", { id: "set-callerLine" }, h("option", { value: "" }, d.audio.noLine), h("option", { value: "right" }, d.audio.rightChannel),
    ...devices.map((x) => h("option", { value: x.id }, x.name)));
  if (callerLine && callerLine !== "right" && !devices.some((x) => x.id === callerLine)) line.append(h("option", { value: callerLine }, `${callerLine} (${d.audio.missing})`));
  line.value = callerLine;
  const rec = h("input", { id: "set-record", type: "checkbox" });
  rec.checked = record;
  const learnBtn = h("button", { id: "learn-ring", type: "button" }, d.audio.learn);
  const forgetBtn = h("button", { id: "forget-ring", type: "button" }, d.audio.forget);
  forgetBtn.hidden = !last?.learned;
  learnBtn.addEventListener("click", () => void learn(learnBtn, forgetBtn));
  forgetBtn.addEventListener("click", async () => {
    try {
      await call("forgetRing");
      forgetBtn.hidden = true;
      text("learn-msg", d.audio.forgotten);
    } catch (e) {
      host.showError(e, $("learn-msg"));
    }
  });
  return h("fieldset", { class: "audio-settings" },
    h("legend", {}, d.audio.section),
    h("label", { class: "check" }, on, h("span", {}, d.audio.listen)),
    h("label", {}, h("span", {}, d.ui.audioDevice), sel),
    h("label", {}, h("span", {}, d.audio.callerLine), line),
    h("label", { class: "check" }, rec, h("span", {}, d.audio.record)),
    h("label", {}, h("span", {}, d.audio.recordingDays), h("input", { id: "set-recordingDays", type: "number", min: "1", max: "3650", value: String(recordingDays) })),
    h("div", { class: "learn" }, learnBtn, forgetBtn),
    h("p", { class: "msg", id: "learn-msg" }, last?.learned ? `${d.audio.learned}: ${last.learned}` : d.audio.learnHint));
}

async function learn(btn: HTMLButtonElement, forgetBtn: HTMLButtonElement) {
  const d = dict(host.lang());
  btn.disabled = true;
  try {
    await call("learnRingStart");
    await new Promise((r) => window.setTimeout(r, LEARN_SECONDS * 1000));
    const words = await call("learnRingFinish");
    text("learn-msg", `${d.audio.learned}: ${words}`);
    forgetBtn.hidden = false;
  } catch (e) {
    host.showError(e, $("learn-msg"));
  } finally {
    btn.disabled = false;
  }
}

/** Values of the section for saving. */
export function settingsValues(): { audioDevice: string; listen: boolean; callerLine: string; record: boolean; recordingDays: number } {
  return {
    audioDevice: (input("set-audioDevice") as unknown as HTMLSelectElement).value,
    callerLine: (input("set-callerLine") as unknown as HTMLSelectElement).value,
    listen: input("set-listen").checked,
    record: input("set-record").checked,
    recordingDays: Number(input("set-recordingDays").value),
  };
}
