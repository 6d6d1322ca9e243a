/** A small SVG line chart of one or more series over the same x points (no chart library). */
export type Series = { name: string; color: string; values: number[] };

export function LineChart({ title, labels, series, unit = '', height = 160 }: {
  title: string; labels: string[]; series: Series[]; unit?: string; height?: number;
}) {
  const width = 480;
  const pad = { l: 44, r: 8, t: 10, b: 22 };
  const n = Math.max(1, labels.length);
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const top = max <= 0 ? 1 : niceMax(max);
  const x = (i: number) => pad.l + (n === 1 ? 0 : (i * (width - pad.l - pad.r)) / (n - 1));
  const y = (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / top);
  const ticks = [0, top / 2, top];
  const total = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  return (
    <figure className="panel" style={{ margin: 0 }} aria-label={title}>
      <figcaption className="row" style={{ marginBottom: 4 }}>
        <b className="grow">{title}</b>
        {series.map((s) => <span key={s.name} style={{ fontSize: 12 }}><span style={{ color: s.color }} aria-hidden="true">●</span> {s.name}</span>)}
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${series.map((s, i) => `${s.name} total ${fmt(total[i])}`).join(', ')}`} data-points={series.map((s) => s.values.filter((v) => v > 0).length).join(',')}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={y(t)} y2={y(t)} style={{ stroke: 'var(--line)' }} />
            <text x={pad.l - 4} y={y(t) + 4} fontSize="10" textAnchor="end" style={{ fill: 'var(--muted)' }}>{fmt(t)}{unit}</text>
          </g>
        ))}
        {labels.length > 0 && [0, Math.floor((n - 1) / 2), n - 1].map((i) => (
          <text key={i} x={x(i)} y={height - 6} fontSize="10" textAnchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'} style={{ fill: 'var(--muted)' }}>{labels[i]}</text>
        ))}
        {series.map((s) => (
          <polyline key={s.name} fill="none" stroke={s.color} strokeWidth="1.6"
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
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
