import { test } from "node:test";
import assert from "node:assert/strict";
import { actionFor, type KeyLike } from "./keys.ts";

const k = (key: string, code: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key, code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods,
});

test("function keys drive the call", () => {
  assert.deepEqual(actionFor(k("F2", "F2")), { kind: "ring" });
  assert.deepEqual(actionFor(k("F3", "F3")), { kind: "answer" });
  assert.deepEqual(actionFor(k("F9", "F9")), { kind: "close" });
  assert.deepEqual(actionFor(k("F11", "F11")), { kind: "queue" });
  assert.equal(actionFor(k("F2", "F2", { ctrlKey: true })), null);
});

test("ctrl+digit picks an element, alt+digit a situation", () => {
  assert.deepEqual(actionFor(k("1", "Digit1", { ctrlKey: true })), { kind: "element", index: 0 });
  assert.deepEqual(actionFor(k("8", "Numpad8", { ctrlKey: true })), { kind: "element", index: 7 });
  assert.equal(actionFor(k("9", "Digit9", { ctrlKey: true })), null);
  // Alt+digit may produce another character on some layouts; the code is what counts.
  assert.deepEqual(actionFor(k("¡", "Digit1", { altKey: true })), { kind: "situation", index: 0 });
  assert.equal(actionFor(k("8", "Digit8", { altKey: true })), null);
});

test("typing is never a hotkey", () => {
  for (const [key, code] of [["1", "Digit1"], ["a", "KeyA"], ["Enter", "Enter"], [" ", "Space"]]) {
    assert.equal(actionFor(k(key, code)), null, key);
  }
  assert.deepEqual(actionFor(k("l", "KeyL", { ctrlKey: true })), { kind: "language" });
  assert.deepEqual(actionFor(k("¬", "KeyL", { altKey: true })), { kind: "phraseLanguage" });
});

test("ctrl+shift+digit accepts speech's suggestion for that element", () => {
  // Shift turns "8" into "*" on a US layout: the code is what counts.
  assert.deepEqual(actionFor(k("*", "Digit8", { ctrlKey: true, shiftKey: true })), { kind: "accept", index: 7 });
  assert.deepEqual(actionFor(k("!", "Digit1", { ctrlKey: true, shiftKey: true })), { kind: "accept", index: 0 });
  assert.equal(actionFor(k("(", "Digit9", { ctrlKey: true, shiftKey: true })), null);
  assert.equal(actionFor(k("*", "Digit8", { shiftKey: true })), null, "typing * is not a hotkey");
});
