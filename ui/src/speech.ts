// Speech on the call desk: the recogniser's status pill, the live
// transcript beside the checklist, and what it suggests — a value beside
// its checklist item (Ctrl+Shift+digit or a click accepts it) and caller
// situations marked on their buttons (Alt+digit records one, as always).
// Nothing is filled in unless the call-taker accepts it.
import type { CallView, ElementKey, Language, LiveStatus, Offer, PartialText, SituationKind, SpeechSegment } from "./bindings";
import { $, h, hhmm, text } from "./dom";
import { dict } from "./i18n";
import { HOTKEY_LABELS } from "./keys";

/** The recogniser's state in the header; the tooltip says why and which model. */
export function renderStatus(s: LiveStatus, lang: Language) {
  lastStatus = s;
  const d = dict(lang).speech;
  const el = $("speech");
  el.dataset.state = s.state;
  text("speech", `● ${d[s.state] ?? s.state}`);
  el.title = [
    s.detail,
    s.model ? `${d.model}: ${s.model}` : "",
    s.lastMs !== null ? `${d.last}: ${(s.lastMs / 1000).toFixed(2)} s · ${s.done}` : "",
    s.skipped ? `${d.skipped}: ${s.skipped}` : "",
  ].filter(Boolean).join("\n");
}

/** The newest offer for each checklist item (the list comes newest first). */
export function offerFor(v: CallView | null, key: ElementKey): Offer | undefined {
  return v?.offers.find((o) => o.element === key);
}

/** The element row's suggestion chip, made once per row. */
export function offerChip(key: ElementKey, index: number): HTMLElement {
  const b = h("button", { id: `offer-${key}`, class: "offer", type: "button", tabindex: "-1", hidden: "" },
    h("span", { class: "v" }), h("span", { class: "hk" }, HOTKEY_LABELS.accept(index)));
  b.addEventListener("click", () => acceptFn?.(key));
  return b;
}

/** The transcript as list items (the desk's live panel and the review's record). */
export function transcriptItems(lines: SpeechSegment[], lang: Language): HTMLElement[] {
  const d = dict(lang).speech;
  if (!lines.length) return [h("li", { class: "empty" }, d.empty)];
  return lines.map((s) => h("li", { class: s.greeting ? "greeting" : "", "data-at": s.startAt, "data-speaker": s.speaker ?? "" },
    h("time", {}, hhmm(s.startAt)), " ", ...(s.speaker ? [h("b", { class: "who" }, `${d[s.speaker]}：`)] : []), s.text, s.greeting ? h("span", { class: "tag" }, ` ✓ ${d.greeting}`) : ""));
}

let partial: PartialText | null = null;
let partialLang: Language = "zh-CN";

/** The words of the utterance being spoken, as far as the recogniser has
 * heard them (from the audio status, four times a second): greyed after
 * the transcript until its line comes. */
export function renderPartial(p: PartialText | null, lang: Language) {
  if (p?.text === partial?.text && p?.speaker === partial?.speaker) return;
  partial = p;
  partialLang = lang;
  const box = document.getElementById("transcript-lines");
  if (!box) return;
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  box.querySelector("li.partial")?.remove();
  const li = partialItem();
  if (li) {
    box.querySelector("li.empty")?.remove();
    box.append(li);
  }
  if (atEnd) box.scrollTop = box.scrollHeight;
}

function partialItem(): HTMLElement | null {
  if (!partial) return null;
  const d = dict(partialLang).speech;
  return h("li", { class: "partial", id: "transcript-partial", "data-speaker": partial.speaker ?? "" },
    ...(partial.speaker ? [h("b", { class: "who" }, `${d[partial.speaker]}：`)] : []), partial.text, h("span", { class: "tag" }, " …"));
}

let acceptFn: ((key: ElementKey) => void) | null = null;
let labelOf: (key: string) => string | undefined = () => undefined;

/** What the panel needs from the desk screen. */
export function initSpeech(accept: (key: ElementKey) => void, label: (key: string) => string | undefined) {
  acceptFn = accept;
  labelOf = label;
}

export function render(v: CallView | null, lang: Language, elements: readonly ElementKey[], situations: readonly SituationKind[], open: boolean) {
  const d = dict(lang).speech;
  for (const key of elements) {
    const o = open ? offerFor(v, key) : undefined;
    const chip = $(`offer-${key}`);
    chip.hidden = !o;
    if (o) (chip.querySelector(".v") as HTMLElement).textContent = `${d.suggest}：${o.value}`;
  }
  const hinted = new Set(open ? v?.offers.flatMap((o) => (o.situation ? [o.situation] : [])) : []);
  for (const kind of situations) {
    const b = $(`sit-${kind}`);
    b.classList.toggle("offered", hinted.has(kind));
    b.title = hinted.has(kind) ? d.heardHint : "";
  }
  text("transcript-label", d.title);
  const lines = v?.speech ?? [];
  $("transcript").hidden = !open; // like the checklist: the call on the line only
  const box = $("transcript-lines");
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  const live = open ? partialItem() : null;
  box.replaceChildren(...(live && !lines.length ? [] : transcriptItems(lines, lang)), ...(live ? [live] : []));
  // Every item suggestion in one place too: the item's own row may be
  // scrolled out of view while the caller talks.
  const items = open ? (v?.offers ?? []).filter((o) => o.element) : [];
  $("offers").replaceChildren(...items.map((o) => {
    const i = elements.indexOf(o.element!);
    const b = h("button", { type: "button", class: "offer", tabindex: "-1", "data-key": o.element! },
      h("b", {}, labelOf(o.element!) ?? o.element!), ` ${o.value} `, h("span", { class: "hk" }, HOTKEY_LABELS.accept(i)));
    b.addEventListener("click", () => acceptFn?.(o.element!));
    return b;
  }));
  if (atEnd) box.scrollTop = box.scrollHeight; // follow the talk unless scrolled back
}

let lastStatus: LiveStatus | null = null;

/** The settings dialog's speech section: on/off, the model file, its state. */
export function settingsSection(on: boolean, model: string, lang: Language): HTMLElement {
  const d = dict(lang).speech;
  const box = h("input", { id: "set-speech", type: "checkbox" });
  box.checked = on;
  const s = lastStatus;
  return h("fieldset", { class: "audio-settings" },
    h("legend", {}, d.section),
    h("label", { class: "check" }, box, h("span", {}, d.on)),
    h("label", {}, h("span", {}, d.modelPath), h("input", { id: "set-speechModel", value: model, placeholder: "models/ggml-base-q8_0.bin" })),
    h("p", { class: `msg${s && (s.state === "missing" || s.state === "bad") ? " error" : ""}`, id: "speech-msg" },
      s ? [d[s.state] ?? s.state, s.model, s.detail].filter(Boolean).join(" — ") : ""));
}

export function settingsValues(): { speech: boolean; speechModel: string } {
  return { speech: (document.getElementById("set-speech") as HTMLInputElement).checked, speechModel: (document.getElementById("set-speechModel") as HTMLInputElement).value };
}
