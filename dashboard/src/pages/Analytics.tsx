import { useEffect, useState } from 'react';
import { pb, errorText } from '../lib/session';
import { LineChart } from '../components/LineChart';
import { Notice } from '../components/ui';

type Minute = { minute: string; requests: number; errors: number; clientErrors: number; errorRate: number; p50: number; p95: number };
type Analytics = {
  from: string; to: string; minutes: Minute[];
  signups: { date: string; count: number }[];
  storage: { database: number; logs: number; files: number };
  realtime: { connections: number };
  logQueue: { pending: number; dropped: number; capacity: number };
};

const RANGES: [string, number][] = [['Last hour', 60], ['Last 6 hours', 360], ['Last 24 hours', 1440]];

/** Usage charts from GET /api/analytics, refreshed every 10 seconds. */
export function AnalyticsPage() {
  const [data, setData] = useState<Analytics | null>(null);
  const [minutes, setMinutes] = useState(60);
  const [error, setError] = useState('');

  useEffect(() => {
    let stop = false;
    const load = async () => {
      const to = new Date(Math.floor(Date.now() / 60000) * 60000 + 60000);
      const from = new Date(to.getTime() - minutes * 60000);
      try {
        const d = await pb().send<Analytics>('/api/analytics', { query: { from: stamp(from), to: stamp(to) } });
        if (!stop) { setData(d); setError(''); }
      } catch (e) {
        if (!stop) setError(errorText(e));
      }
    };
    void load();
    const t = window.setInterval(load, 10000);
    return () => { stop = true; window.clearInterval(t); };
  }, [minutes]);

  const labels = (data?.minutes ?? []).map((m) => m.minute.slice(11, 16));
  return (
    <div>
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>Analytics</h1>
        <select aria-label="Time range" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} style={{ width: 160 }}>
          {RANGES.map(([l, m]) => <option key={m} value={m}>{l}</option>)}
        </select>
      </div>
      <Notice kind="error">{error}</Notice>
      {data && (
        <>
          <div className="row" style={{ marginBottom: 12 }}>
            <Stat label="Requests" value={String(data.minutes.reduce((a, m) => a + m.requests, 0))} />
            <Stat label="Realtime connections" value={String(data.realtime.connections)} />
            <Stat label="Database" value={bytes(data.storage.database)} />
            <Stat label="Logs" value={bytes(data.storage.logs)} />
            <Stat label="Files" value={bytes(data.storage.files)} />
          </div>
          <div className="charts">
            <LineChart title="Requests a minute" labels={labels} series={[
              { name: 'requests', color: '#2456c8', values: data.minutes.map((m) => m.requests) },
              { name: '4xx', color: '#c77c02', values: data.minutes.map((m) => m.clientErrors) },
              { name: '5xx', color: '#b3261e', values: data.minutes.map((m) => m.errors) },
            ]} />
            <LineChart title="Error rate (5xx)" unit="%" labels={labels} series={[
              { name: 'error rate', color: '#b3261e', values: data.minutes.map((m) => m.errorRate * 100) },
            ]} />
            <LineChart title="Latency (ms)" labels={labels} series={[
              { name: 'p50', color: '#1f7a3d', values: data.minutes.map((m) => m.p50) },
              { name: 'p95', color: '#7b3fb5', values: data.minutes.map((m) => m.p95) },
            ]} />
            <LineChart title="Sign-ups a day" labels={data.signups.map((s) => s.date.slice(5))} series={[
              { name: 'sign-ups', color: '#2456c8', values: data.signups.map((s) => s.count) },
            ]} />
          </div>
          {data.logQueue.dropped > 0 && <p className="error">{data.logQueue.dropped} log entries were dropped (queue full).</p>}
        </>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return <div className="panel" style={{ margin: 0, padding: '8px 14px' }}><div className="muted" style={{ fontSize: 12 }}>{label}</div><b>{value}</b></div>;
}

export function stamp(d: Date): string {
  return d.toISOString().replace('T', ' ');
}

/** A byte count for people: 1.5 MB. */
export function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}
