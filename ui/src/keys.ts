// Maps a key press to a desk action. Pure, so it is unit-tested without a
// browser (src/keys.test.ts). Hotkeys use F-keys and Ctrl/Alt + digit so
// they never collide with typing Chinese or numbers into a field.

export type Action =
  | { kind: "ring" }
  | { kind: "answer" }
  | { kind: "greeting" }
  | { kind: "asked" }
  | { kind: "notApplicable" }
  | { kind: "focusNumber" }
  | { kind: "close" }
  | { kind: "settings" }
  | { kind: "queue" }
  | { kind: "review" }
  | { kind: "language" }
  | { kind: "phraseLanguage" }
  | { kind: "escape" }
  | { kind: "element"; index: number }
  | { kind: "accept"; index: number }
  | { kind: "situation"; index: number };

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const F_KEYS: Record<string, Action> = {
  F2: { kind: "ring" },
  F3: { kind: "answer" },
  F4: { kind: "greeting" },
  F6: { kind: "asked" },
  F7: { kind: "notApplicable" },
  F8: { kind: "focusNumber" },
  F9: { kind: "close" },
  F10: { kind: "settings" },
  F11: { kind: "queue" },
  F12: { kind: "review" },
};

/** The digit of Digit1..Digit9 / Numpad1..Numpad9, else 0. */
function digit(code: string): number {
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return m ? Number(m[1]) : 0;
}

export function actionFor(e: KeyLike): Action | null {
  if (e.metaKey) return null;
  const plain = !e.ctrlKey && !e.altKey && !e.shiftKey;
  if (plain && F_KEYS[e.key]) return F_KEYS[e.key];
  if (plain && e.key === "Escape") return { kind: "escape" };
  const d = digit(e.code);
  if (e.ctrlKey && !e.altKey && !e.shiftKey && d >= 1 && d <= 8) return { kind: "element", index: d - 1 };
  // The same item's key with Shift accepts what speech suggests for it.
  if (e.ctrlKey && !e.altKey && e.shiftKey && d >= 1 && d <= 8) return { kind: "accept", index: d - 1 };
  if (e.altKey && !e.ctrlKey && !e.shiftKey && d >= 1 && d <= 7) return { kind: "situation", index: d - 1 };
  if (e.ctrlKey && !e.altKey && !e.shiftKey && e.code === "KeyL") return { kind: "language" };
  if (e.altKey && !e.ctrlKey && !e.shiftKey && e.code === "KeyL") return { kind: "phraseLanguage" };
  return null;
}

/** The label shown on screen for each hotkey, so screen and handler agree. */
export const HOTKEY_LABELS = {
  ring: "F2",
  answer: "F3",
  greeting: "F4",
  asked: "F6",
  notApplicable: "F7",
  focusNumber: "F8",
  close: "F9",
  settings: "F10",
  queue: "F11",
  review: "F12",
  language: "Ctrl+L",
  phraseLanguage: "Alt+L",
  element: (i: number) => `Ctrl+${i + 1}`,
  accept: (i: number) => `Ctrl+Shift+${i + 1}`,
  situation: (i: number) => `Alt+${i + 1}`,
};
