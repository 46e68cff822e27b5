// The settings dialog (F10): the desk's settings, the calendar import, and
// the sections of listening, speech and the station.
import type { Language } from "./bindings";
import { call, DeskError } from "./api";
import { $, h, input, text } from "./dom";
import { fill } from "./i18n";
import * as audio from "./audio";
import * as speech from "./speech";
import * as station from "./station";
import { build, render, renderBanner } from "./call";
import { s, showError, t } from "./shared";
import { fileItems } from "./datafiles";

const SETTINGS_FIELDS = [
  ["city", "text"], ["cityEn", "text"], ["operatorNumber", "text"], ["takerId", "text"], ["stationId", "text"], ["repeatWindowMinutes", "number"],
  ["followupWorkingDays", "number"], ["followupEndOfDay", "text"], ["timeZone", "text"], ["idleLockMinutes", "number"],
  ["signInAttempts", "number"], ["signInWaitSeconds", "number"], ["pinMinLength", "number"], ["personalDataDays", "number"], ["shifts", "text"],
] as const;
const SETTINGS_LABELS = {
  city: "city", cityEn: "cityEn", operatorNumber: "operatorNumber", takerId: "takerId", stationId: "stationId", repeatWindowMinutes: "repeatWindow",
  followupWorkingDays: "workingDays", followupEndOfDay: "endOfDay", timeZone: "timeZone", idleLockMinutes: "idleLock",
  signInAttempts: "signInAttempts", signInWaitSeconds: "signInWait", pinMinLength: "pinMinLength", personalDataDays: "personalDataDays", shifts: "shifts",
} as const;
const NUMERIC = new Set(["repeatWindowMinutes", "followupWorkingDays", "idleLockMinutes", "signInAttempts", "signInWaitSeconds", "pinMinLength", "personalDataDays"]);

export async function openSettings() {
  const d = t();
  $("settings-fields").replaceChildren(...SETTINGS_FIELDS.map(([k, type]) =>
    h("label", {}, h("span", {}, d.ui[SETTINGS_LABELS[k]]), h("input", { id: `set-${k}`, type, value: String(s.desk.settings[k]) }))));
  const langSel = h("select", { id: "set-language" }, h("option", { value: "zh-CN" }, "简体中文"), h("option", { value: "en" }, "English"));
  langSel.value = s.desk.settings.language;
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
    h("p", { class: "dir", id: "calendar-years" }, `${d.ui.calendarYears}: ${s.desk.calendarYears.join(", ")}`),
    h("p", { class: "dir" }, `${d.ui.dataDir}: ${s.desk.dataDir}`));
  $("settings-fields").append(await audio.settingsSection(s.desk.settings.audioDevice, s.desk.settings.listen, s.desk.settings.callerLine, s.desk.settings.record, s.desk.settings.recordingDays),
    speech.settingsSection(s.desk.settings.speech, s.desk.settings.speechModel, s.lang),
    station.settingsSection(s.lang, showError));
  renderFiles();
  text("settings-msg", "");
  ($("settings-dialog") as HTMLDialogElement).showModal();
  input("set-city").focus();
}

/** The data files and where each came from; a station file is edited in place. */
function renderFiles() {
  $("files").replaceChildren(...fileItems(s.desk.dataFiles, () => {
    renderFiles();
    renderBanner();
    build();
    render();
  }));
}

async function importCalendar(path: string) {
  try {
    const before = new Set(s.desk.calendarYears);
    s.desk = await call("importCalendar", path);
    const year = s.desk.calendarYears.find((y) => !before.has(y)) ?? "";
    text("settings-msg", fill(t().ui.imported, { year }));
    text("calendar-years", `${t().ui.calendarYears}: ${s.desk.calendarYears.join(", ")}`);
    renderBanner();
  } catch (e) {
    showError(e, $("settings-msg"));
  }
}

export async function saveSettings() {
  const next = { ...s.desk.settings };
  for (const [k] of SETTINGS_FIELDS) {
    const v = input(`set-${k}`).value;
    if (NUMERIC.has(k)) (next as Record<string, unknown>)[k] = Number(v);
    else (next as Record<string, unknown>)[k] = v;
  }
  next.language = (input("set-language") as unknown as HTMLSelectElement).value as Language;
  Object.assign(next, audio.settingsValues(), speech.settingsValues());
  try {
    s.desk = await call("saveSettings", next);
    s.lang = s.desk.settings.language;
    ($("settings-dialog") as HTMLDialogElement).close();
    $("toast").hidden = true; // what was wrong is fixed now
    build();
    render();
  } catch (e) {
    showError(e, $("settings-msg"));
    if (e instanceof DeskError && e.detail.field) document.getElementById(`set-${e.detail.field}`)?.focus();
  }
}

