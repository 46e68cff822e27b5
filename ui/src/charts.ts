// Small SVG charts for the dashboard: no library, nothing fetched, sized by
// the viewBox so they scale with the window.
import type { DayFigures } from "./bindings";

const NS = "http://www.w3.org/2000/svg";

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export type Bar = { label: string; value: number; target?: number };

/** Horizontal bars, one per label, with an optional target mark each. */
export function barChart(bars: Bar[], max: number, unit: string): SVGElement {
  const rowH = 24;
  const w = 340;
  // Room for the longest label (CJK characters are about twice as wide).
  const width = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) > 255 ? 13 : 7), 0);
  const left = Math.min(170, 12 + Math.max(30, ...bars.map((b) => width(b.label))));
  const svg = el("svg", { viewBox: `0 0 ${w} ${Math.max(1, bars.length) * rowH + 4}`, class: "chart", role: "img" });
  const x = (v: number) => left + ((w - left - 50) * Math.min(v, max)) / max;
  bars.forEach((b, i) => {
    const y = i * rowH + 2;
    const miss = b.target !== undefined && b.value < b.target;
    svg.append(
      el("text", { x: left - 6, y: y + 16, "text-anchor": "end", class: "lbl" }, b.label),
      el("rect", { x: left, y: y + 3, width: Math.max(1, x(b.value) - left), height: rowH - 8, class: miss ? "bar bad" : "bar" }),
      el("text", { x: x(b.value) + 4, y: y + 16, class: "val" }, `${Number.isInteger(b.value) ? b.value : b.value.toFixed(1)}${unit}`),
    );
    if (b.target !== undefined) svg.append(el("line", { x1: x(b.target), x2: x(b.target), y1: y + 1, y2: y + rowH - 3, class: "target" }));
  });
  return svg;
}

/** Calls per day as columns, three-ring % as a line on its own 0–100 axis. */
export function dayChart(days: DayFigures[]): SVGElement {
  const w = 360;
  const hgt = 140;
  const base = hgt - 20;
  const svg = el("svg", { viewBox: `0 0 ${w} ${hgt}`, class: "chart", role: "img" });
  if (!days.length) return svg;
  const max = Math.max(...days.map((d) => d.calls), 1);
  const step = (w - 40) / days.length;
  const pts: string[] = [];
  days.forEach((d, i) => {
    const x = 30 + i * step;
    const hh = ((base - 10) * d.calls) / max;
    svg.append(el("rect", { x: x + step * 0.15, y: base - hh, width: step * 0.7, height: hh, class: "bar" }));
    if (days.length <= 14 || i % Math.ceil(days.length / 10) === 0) {
      svg.append(el("text", { x: x + step / 2, y: hgt - 6, "text-anchor": "middle", class: "lbl" }, d.day.slice(5)));
    }
    if (d.threeRingPct !== null) pts.push(`${x + step / 2},${base - ((base - 10) * d.threeRingPct) / 100}`);
  });
  svg.append(el("text", { x: 2, y: 12, class: "lbl" }, String(max)));
  if (pts.length) svg.append(el("polyline", { points: pts.join(" "), class: "line" }));
  return svg;
}
