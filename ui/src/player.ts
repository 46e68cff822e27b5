// The lead's player in the review screen's call detail: the call's
// recording through Web Audio (WebKitGTK's <audio> refuses in-memory
// sources) with 1× / 1.5× / 2× at the same pitch (the desk stretches it),
// a waveform with the rings, the answer and the greeting marked, and every
// timeline event and transcript line as a seek point (elements with
// data-at). Keys while the review screen is
// open and no field has focus: Space plays/pauses, ←/→ go 5 s back/forward.
import type { RecordingView, TimelineEvent } from "./bindings";
import { call } from "./api";
import { h } from "./dom";

const SPEEDS = [1, 1.5, 2] as const;
const STEP_S = 5;
const SVG = "http://www.w3.org/2000/svg";

export type PlayerText = { title: string; play: string; pause: string; partial: string; marks: Record<string, string> };

/** The open call's player; null when none is shown. */
let cur: {
  seat: string;
  id: number;
  seconds: number;
  buffers: Map<number, AudioBuffer>;
  node: AudioBufferSourceNode | null;
  speed: number;
  /** Call seconds where playing started (or stands, paused). */
  pos: number;
  /** Context time when playing started. */
  t0: number;
  timer: number;
} | null = null;
let ctx: AudioContext | null = null;
let startMs = 0;
/** The 1× recording fetched to draw the player, used for its first play. */
let first: RecordingView | null = null;
let onError: (e: unknown) => void = () => {};
/** Redraws the playhead, time and buttons of the open player. */
let show = () => {};

/** Seconds into the recording of a time on the call. */
const offset = (at: string) => Math.max(0, (Date.parse(at) - startMs) / 1000);

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Where the player is, in seconds of the call. */
function position(): number {
  if (!cur) return 0;
  if (!cur.node || !ctx) return cur.pos;
  return Math.min(cur.seconds, cur.pos + (ctx.currentTime - cur.t0) * cur.speed);
}

/** The recording at `speed` as Web Audio plays it (fetched once per speed). */
async function buffer(speed: number): Promise<AudioBuffer | null> {
  const c = cur!;
  const have = c.buffers.get(speed);
  if (have) return have;
  try {
    const rec = speed === 1 && first ? first : await call("callRecording", c.seat, c.id, speed);
    first = null;
    const raw = atob(rec.pcmBase64);
    const n = raw.length >> 1;
    const buf = ctx!.createBuffer(1, Math.max(1, n), rec.sampleRate);
    const out = buf.getChannelData(0);
    for (let i = 0; i < n; i++) {
      const v = raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8);
      out[i] = (v >= 0x8000 ? v - 0x10000 : v) / 32768;
    }
    c.buffers.set(speed, buf);
    return buf;
  } catch (e) {
    onError(e);
    return null;
  }
}

function halt() {
  if (!cur?.node) return;
  cur.pos = position();
  const n = cur.node;
  cur.node = null;
  n.onended = null;
  n.stop();
}

async function play() {
  if (!cur || cur.node) return;
  ctx ??= new AudioContext();
  await ctx.resume();
  const c = cur;
  const buf = await buffer(c.speed);
  if (!buf || cur !== c || c.node) return;
  if (c.pos >= c.seconds - 0.05) c.pos = 0;
  const node = ctx.createBufferSource();
  node.buffer = buf;
  node.connect(ctx.destination);
  node.onended = () => {
    if (c.node !== node) return;
    c.node = null;
    c.pos = c.seconds;
    show();
  };
  node.start(0, c.pos / c.speed);
  c.t0 = ctx.currentTime;
  c.node = node;
  show();
}

function pause() {
  halt();
  show();
}

function toggle() {
  if (cur?.node) pause();
  else void play();
}

/** Stops and forgets the player (another call opened, the screen closed). */
export function stop() {
  halt();
  if (cur) window.clearInterval(cur.timer);
  cur = null;
  first = null;
}

/** The player for call `id` of `seat`, or a line saying why there is none. */
export async function player(seat: string, id: number, timeline: TimelineEvent[], text: PlayerText,
  showError: (e: unknown, where?: HTMLElement) => void): Promise<HTMLElement> {
  stop();
  let rec: RecordingView;
  try {
    rec = await call("callRecording", seat, id, 1);
  } catch (e) {
    const line = h("p", { id: "rv-player", class: "hint", "data-state": "none" });
    showError(e, line);
    return line;
  }
  first = rec;
  startMs = Date.parse(rec.startedAt);
  // Floats come through the bindings as number | null (NaN).
  const seconds = rec.seconds ?? 0;
  const peaks = rec.peaks.map((p) => p ?? 0);

  const playBtn = h("button", { type: "button", id: "rv-play", class: "small" }, text.play);
  playBtn.addEventListener("click", toggle);
  const speeds = SPEEDS.map((x) => {
    const b = h("button", { type: "button", class: "small speed", "data-speed": String(x), "aria-pressed": String(x === 1) }, `${x}×`);
    b.addEventListener("click", () => {
      if (!cur) return;
      const playing = !!cur.node;
      halt();
      cur.speed = x;
      for (const o of speeds) o.setAttribute("aria-pressed", String(o === b));
      if (playing) void play();
      show();
    });
    return b;
  });
  const time = h("span", { id: "rv-time", class: "time" }, `0:00 / ${clock(seconds)}`);

  // Waveform: one bar per peak, mirrored; marks as coloured lines.
  const W = peaks.length || 1;
  const wave = svg("svg", { id: "rv-wave", viewBox: `0 0 ${W} 100`, preserveAspectRatio: "none", role: "img" }) as SVGSVGElement;
  const bars = peaks.map((p, i) => `M${i + 0.5} ${50 - p * 48}V${50 + p * 48}`).join("");
  wave.append(svg("path", { d: bars, class: "peaks" }));
  const at = (s: number) => (seconds ? (s / seconds) * W : 0);
  for (const ev of timeline.filter((e) => e.kind === "ring" || e.kind === "answer" || e.kind === "greeting")) {
    const x = at(offset(ev.at));
    const mark = svg("line", { x1: x, x2: x, y1: 0, y2: 100, class: `mark ${ev.kind}`, "data-kind": ev.kind });
    const title = svg("title", {});
    title.textContent = `${text.marks[ev.kind] ?? ev.kind} ${clock(offset(ev.at))}`;
    mark.append(title);
    wave.append(mark);
  }
  const head = svg("line", { x1: 0, x2: 0, y1: 0, y2: 100, class: "playhead" });
  wave.append(head);
  wave.addEventListener("click", (e) => {
    const r = wave.getBoundingClientRect();
    seek(((e.clientX - r.left) / r.width) * seconds, true);
  });

  const box = h("div", { id: "rv-player", class: "player", "data-state": "paused", "data-seconds": String(seconds), "data-pos": "0" },
    h("h4", {}, text.title), wave,
    h("div", { class: "controls" }, playBtn, ...speeds, time),
    ...(rec.complete ? [] : [h("p", { class: "partial" }, text.partial)]));
  onError = (e) => showError(e, box);
  show = () => {
    if (!cur) return;
    const p = position();
    head.setAttribute("x1", String(at(p)));
    head.setAttribute("x2", String(at(p)));
    time.textContent = `${clock(p)} / ${clock(seconds)}`;
    playBtn.textContent = cur.node ? text.pause : text.play;
    box.dataset.state = cur.node ? "playing" : "paused";
    box.dataset.pos = p.toFixed(2);
    box.dataset.speed = String(cur.speed);
  };
  cur = { seat, id, seconds, buffers: new Map(), node: null, speed: 1, pos: 0, t0: 0, timer: window.setInterval(() => show(), 100) };
  return box;
}

/** Plays from `s` seconds (clamped to the recording). */
export function seek(s: number, andPlay = false) {
  if (!cur) return;
  const playing = !!cur.node;
  halt();
  cur.pos = Math.min(Math.max(0, s), cur.seconds);
  if (playing || andPlay) void play();
  show();
}

/** Makes every element with data-at under `root` a seek point. */
export function seekPoints(root: HTMLElement) {
  root.addEventListener("click", (e) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>("[data-at]");
    if (!item || !cur) return;
    seek(offset(item.dataset.at!), true);
  });
}

/** The review screen's player keys; true when the key was the player's. */
export function playerKey(e: KeyboardEvent): boolean {
  if (!cur || e.ctrlKey || e.altKey || e.metaKey) return false;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return false;
  if (e.key === " ") toggle();
  else if (e.key === "ArrowLeft") seek(position() - STEP_S);
  else if (e.key === "ArrowRight") seek(position() + STEP_S);
  else return false;
  e.preventDefault();
  return true;
}
