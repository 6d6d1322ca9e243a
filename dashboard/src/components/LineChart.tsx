/**
 * A line chart of one or more series over the same x points, drawn by uPlot (a canvas; its legend shows the values
 * under the pointer). The figure's image carries the text alternative: each series' total.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Series = { name: string; color: string; values: number[] };

export function LineChart({ title, labels, series, unit = '', height = 160 }: {
  title: string; labels: string[]; series: Series[]; unit?: string; height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const total = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  // Callers build new arrays on every render: the chart is redrawn only when the data changes.
  const data = JSON.stringify([labels, series, unit, height]);
  useEffect(() => {
    const [labels, series, unit, height] = JSON.parse(data) as [string[], Series[], string, number];
    const el = box.current;
    if (!el) return;
    // Drawn again when the theme changes (the colours are read from the CSS variables at drawing time).
    const draw = () => {
      const css = getComputedStyle(el);
      // A canvas does not know CSS variables: "var(--accent)" is resolved here.
      const color = (c: string) => { const m = /^var\((--[\w-]+)\)$/.exec(c); return m ? css.getPropertyValue(m[1]).trim() || '#888' : c; };
      const muted = color('var(--muted)');
      const line = color('var(--line)');
      const n = labels.length;
      const max = Math.max(0, ...series.flatMap((s) => s.values));
      const top = max <= 0 ? 1 : niceMax(max);
      const label = (v: number | null) => (v == null ? '' : labels[Math.round(v)] ?? '');
      const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { show: false }, font: '10px system-ui, sans-serif' };
      return new uPlot({
        width: Math.max(200, el.clientWidth),
        height,
        scales: { x: { time: false }, y: { range: [0, top] } },
        cursor: { y: false, drag: { x: false, y: false } },
        legend: { live: true },
        series: [
          { label: 'at', value: (_u, v) => label(v) },
          ...series.map((s) => ({ label: s.name, stroke: color(s.color), width: 1.6, points: { show: false }, value: (_u: uPlot, v: number | null) => (v == null ? '' : `${fmt(v)}${unit}`) })),
        ],
        axes: [
          { ...axis, grid: { show: false }, splits: () => (n === 0 ? [] : [...new Set([0, Math.floor((n - 1) / 2), n - 1])]), values: (_u, splits) => splits.map(label) },
          { ...axis, size: 44, splits: () => [0, top / 2, top], values: (_u, splits) => splits.map((v) => `${fmt(v)}${unit}`) },
        ],
      }, [labels.map((_, i) => i), ...series.map((s) => s.values)], el);
    };
    let chart = draw();
    const redraw = () => { chart.destroy(); chart = draw(); };
    const themeAttr = new MutationObserver(redraw);
    themeAttr.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    dark.addEventListener('change', redraw);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => { resize.disconnect(); themeAttr.disconnect(); dark.removeEventListener('change', redraw); chart.destroy(); };
  }, [data]);
  return (
    <figure className="panel" style={{ margin: 0 }} aria-label={title}>
      <figcaption style={{ marginBottom: 4 }}><b>{title}</b></figcaption>
      <div className="chart" ref={box} role="img" aria-label={`${title}: ${series.map((s, i) => `${s.name} total ${fmt(total[i])}`).join(', ')}`}
        data-points={series.map((s) => s.values.filter((v) => v > 0).length).join(',')} data-x-count={labels.length} />
    </figure>
  );
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}
