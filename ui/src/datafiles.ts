// Settings' editor of the station's data files (referral directory, phrase
// packs, gazetteer): the text as the station has it (else the built-in
// one), checked and saved by the desk, which refuses an edit with the line
// it breaks. A saved file is in use at once.
import type { DataFileName, SourceNote } from "./bindings";
import { DATA_FILES } from "./bindings";
import { call } from "./api";
import { $, h, text } from "./dom";
import { fill } from "./i18n";
import { s, showError, t } from "./shared";

let editing: DataFileName | null = null;
let onChange: () => void = () => {};

const editable = (name: string): name is DataFileName => (DATA_FILES as readonly string[]).includes(name);

/** The data files list of Settings, each station file with its edit button. */
export function fileItems(notes: SourceNote[], changed: () => void): HTMLElement[] {
  onChange = changed;
  const d = t().ui;
  return notes.map((f) => {
    const li = h("li", { class: f.warning ? "error" : "" }, `${f.name}: ${f.source === "builtin" ? d.builtin : f.source === "none" ? d.notSet : f.source}${f.warning ? ` — ${f.warning}` : ""}`);
    if (editable(f.name)) {
      const b = h("button", { type: "button", class: "small", id: `edit-${f.name.replace(/[/.]/g, "-")}` }, d.editFile);
      b.addEventListener("click", () => void edit(f.name as DataFileName));
      li.append(" ", b);
    }
    return li;
  });
}

async function edit(name: DataFileName) {
  try {
    const f = await call("dataFile", name);
    editing = name;
    const d = t().ui;
    text("datafile-title", name);
    text("datafile-origin", f.builtin ? d.fileBuiltin : `${s.desk.dataDir}/${name}`);
    ($("datafile-text") as HTMLTextAreaElement).value = f.text;
    text("datafile-msg", "");
    $("datafile-msg").classList.remove("error");
    text("datafile-save", d.saveFile);
    text("datafile-reset", d.resetFile);
    text("datafile-close", d.closeFile);
    ($("datafile-dialog") as HTMLDialogElement).showModal();
    $("datafile-text").focus();
  } catch (e) {
    showError(e, $("settings-msg"));
  }
}

async function save() {
  if (!editing) return;
  try {
    s.desk = await call("saveDataFile", editing, ($("datafile-text") as HTMLTextAreaElement).value);
    $("datafile-msg").classList.remove("error");
    text("datafile-msg", fill(t().ui.fileSaved, { name: editing }));
    text("datafile-origin", `${s.desk.dataDir}/${editing}`);
    onChange();
  } catch (e) {
    // The line it breaks, said where the text is.
    $("datafile-msg").classList.add("error");
    showError(e, $("datafile-msg"));
  }
}

async function reset() {
  if (!editing) return;
  try {
    s.desk = await call("resetDataFile", editing);
    const f = await call("dataFile", editing);
    ($("datafile-text") as HTMLTextAreaElement).value = f.text;
    text("datafile-origin", t().ui.fileBuiltin);
    $("datafile-msg").classList.remove("error");
    text("datafile-msg", fill(t().ui.fileReset, { name: editing }));
    onChange();
  } catch (e) {
    showError(e, $("datafile-msg"));
  }
}

export function initDataFiles() {
  $("datafile-save").addEventListener("click", () => void save());
  $("datafile-reset").addEventListener("click", () => void reset());
  $("datafile-close").addEventListener("click", () => ($("datafile-dialog") as HTMLDialogElement).close());
  $("datafile-text").addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).ctrlKey && (e as KeyboardEvent).key === "s") {
      e.preventDefault();
      void save();
    }
  });
}
