// Requests per hour over the log's filter (GET /api/logs/stats), hours without requests shown as zero.
import { useEffect, useState } from 'react';
import { pb, errorText } from '../lib/session';
import { LineChart } from './LineChart';

const HOUR = 3_600_000;
const MAX_HOURS = 168;

/** Hour buckets from `from` to `to` (default: the last 24 hours), at most a week, ending at `to`. */
export function hourBuckets(from: Date | null, to: Date | null, now = new Date()): Date[] {
  const floor = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);
  const end = floor(to ?? now);
  let start = from ? floor(from) : new Date(end.getTime() - 23 * HOUR);
  if (end.getTime() - start.getTime() > (MAX_HOURS - 1) * HOUR) start = new Date(end.getTime() - (MAX_HOURS - 1) * HOUR);
  const out: Date[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += HOUR) out.push(new Date(t));
  return out;
}

export function LogsChart({ filter, from, to, refresh }: { filter: string; from: Date | null; to: Date | null; refresh: number }) {
  const [stats, setStats] = useState<{ date: string; total: number }[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    pb().send<{ date: string; total: number }[]>('/api/logs/stats', { query: filter ? { filter } : {} })
      .then((s) => { setStats(s); setError(''); }).catch((e) => setError(errorText(e)));
  }, [filter, refresh]);
  if (error) return <p className="error">{error}</p>;
  if (!stats) return null;
  const buckets = hourBuckets(from, to);
  const byHour = new Map(stats.map((s) => [s.date.slice(0, 13), s.total]));
  const key = (d: Date) => d.toISOString().slice(0, 13).replace('T', ' ');
  const long = buckets.length > 24;
  const labels = buckets.map((d) => (long ? `${d.toISOString().slice(5, 10)} ` : '') + `${d.toISOString().slice(11, 13)}:00`);
  return (
    <div style={{ marginBottom: 12 }}>
      <LineChart title="Requests per hour (UTC)" labels={labels} series={[{ name: 'requests', color: 'var(--accent)', values: buckets.map((d) => byHour.get(key(d)) ?? 0) }]} height={140} />
    </div>
  );
}
