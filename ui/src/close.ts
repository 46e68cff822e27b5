// The close dialog (F9): the disposition, suggested from the situations,
// chosen by digit or arrows; Enter closes, asking once about missing items.
import type { Disposition } from "./bindings";
import { call, DeskError } from "./api";
import { $, h, text } from "./dom";
import { errorText } from "./i18n";
import { DISPOSITIONS, flushAll, render } from "./call";
import { labelOf, noCall, open, s, showError, t } from "./shared";

let closeChoice: Disposition = "police_incident";
let closeConfirm = false;

export function openClose() {
  if (!open()) return showError(noCall());
  closeChoice = s.view!.suggestedDisposition;
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
    s.view = await call("closeCall", closeChoice, closeConfirm);
    ($("close-dialog") as HTMLDialogElement).close();
    (document.activeElement as HTMLElement | null)?.blur();
    render();
  } catch (e) {
    if (e instanceof DeskError && e.detail.code === "MISSING_ELEMENTS") {
      closeConfirm = true; // ask once; the next Enter closes anyway
      $("close-msg").textContent = errorText(s.lang, e.detail, labelOf);
    } else showError(e, $("close-msg"));
  }
}

export function closeDialogKey(e: KeyboardEvent) {
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

