import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { pb, errorText } from '../lib/session';
import { Modal, Notice, Pager } from '../components/ui';
import { stamp } from './Analytics';
import { LogsChart } from '../components/LogsChart';
import { RuleInput } from '../components/RuleInput';
import { positionOf } from '../lib/filterSyntax';
import { commonWords, type CompletionWord } from '../lib/filterCompletion';

type LogItem = { id: string; created: string; level: number; message: string; data: Record<string, unknown> };
type Page = { page: number; totalPages: number; totalItems: number; items: LogItem[] };
type Filters = { status: string; method: string; path: string; from: string; to: string; expr: string };

// The log's fields for the filter expression (LogsApi: id, created, level, message, data.*; LogRowBuilder's data keys).
const LOG_WORDS: CompletionWord[] = [
  ...([['id', 'text'], ['created', 'date'], ['level', 'number'], ['message', 'text'], ['data', 'json']] as const).map(([label, detail]) => ({ label, detail, kind: 'field' as const })),
  ...([['status', 'number'], ['method', 'text'], ['url', 'text'], ['execTime', 'number, ms'], ['auth', 'text: the auth collection or guest'],
    ['authId', 'text'], ['authCollection', 'text'], ['userIP', 'text'], ['remoteIP', 'text'], ['referer', 'text'], ['userAgent', 'text'],
    ['type', 'text: request, function ...'], ['error', 'text']] as const).map(([key, detail]) => ({ label: `data.${key}`, detail, kind: 'path' as const })),
  ...commonWords(),
];

// toFilter puts the expression first, in parentheses: a position in the server's message is this much further on.
const EXPR_OFFSET = 1;

/** The server's message about the expression, its position counted in the expression; '' when it is not about it. */
function exprError(message: string, expr: string): string {
  const at = positionOf(message);
  if (!expr.trim() || at === null || at < EXPR_OFFSET || at > EXPR_OFFSET + expr.length) return '';
  return message.replace(/at position \d+/, `at position ${at - EXPR_OFFSET}`);
}

const STATUS: Record<string, string> = {
  '': 'any status', ok: '2xx/3xx', '4xx': '4xx', '5xx': '5xx', errors: '4xx and 5xx',
};

/** The request log (GET /api/logs) with filters by status, method, path and time. */
export function LogsPage() {
  const [filters, setFilters] = useState<Filters>({ status: '', method: '', path: '', from: '', to: '', expr: '' });
  const [applied, setApplied] = useState<Filters>(filters);
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page | null>(null);
  const [open, setOpen] = useState<LogItem | null>(null);
  const [error, setError] = useState('');
  const [refresh, setRefresh] = useState(0);

  // Only the latest request's answer is shown: a slow earlier one (the first page) must not land over a newer filter's.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const next = await pb().send<Page>('/api/logs', { query: { page, perPage: 50, sort: '-created', filter: toFilter(applied) }, requestKey: null });
      if (mine !== latest.current) return;
      setList(next);
      setError('');
    } catch (e) {
      if (mine !== latest.current) return;
      // A refused filter must not leave the previous rows on screen as if it had been applied.
      setList(null);
      setError(errorText(e));
    }
  }, [page, applied]);
  useEffect(() => { void load(); }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setPage(1);
    setApplied(filters);
  }

  const set = (k: keyof Filters, v: string) => setFilters({ ...filters, [k]: v });
  return (
    <div>
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>Logs</h1>
        <button type="button" onClick={() => { void load(); setRefresh((n) => n + 1); }}>Refresh</button>
      </div>
      <Notice kind="error">{error}</Notice>
      <form className="panel" onSubmit={submit} aria-label="Log filters">
        <div className="row" style={{ alignItems: 'flex-end', marginBottom: 10 }}>
        <label style={{ margin: 0, width: 140 }}><span>Status</span>
          <select value={filters.status} onChange={(e) => set('status', e.target.value)}>{Object.entries(STATUS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select>
        </label>
        <label style={{ margin: 0, width: 110 }}><span>Method</span>
          <select value={filters.method} onChange={(e) => set('method', e.target.value)}>{['', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => <option key={m} value={m}>{m || 'any'}</option>)}</select>
        </label>
        <label className="grow" style={{ margin: 0 }}><span>Path contains</span><input data-shortcut="search" aria-keyshortcuts="/" value={filters.path} onChange={(e) => set('path', e.target.value)} placeholder="/api/collections/posts" /></label>
        <label style={{ margin: 0 }}><span>From</span><input type="datetime-local" value={filters.from} onChange={(e) => set('from', e.target.value)} /></label>
        <label style={{ margin: 0 }}><span>To</span><input type="datetime-local" value={filters.to} onChange={(e) => set('to', e.target.value)} /></label>
        <button type="submit" className="primary">Apply</button>
        </div>
        <RuleInput label="Filter expression" value={filters.expr} nullable={false} words={LOG_WORDS} placeholder="e.g. data.execTime > 100 && data.url ~ '/api/'"
          serverError={filters.expr === applied.expr ? exprError(error, applied.expr) : ''} onChange={(v) => set('expr', v ?? '')} />
      </form>
      <LogsChart filter={toFilter(applied)} from={applied.from ? new Date(applied.from) : null} to={applied.to ? new Date(applied.to) : null} refresh={refresh} />
      <div className="table-wrap">
        <table aria-label="Request log">
          <thead><tr><th>Time (UTC)</th><th>Status</th><th>Method</th><th>URL</th><th>ms</th><th>Auth</th></tr></thead>
          <tbody>
            {(list?.items ?? []).map((l) => (
              <tr key={l.id} tabIndex={0} onClick={() => setOpen(l)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); setOpen(l); } }} style={{ cursor: 'pointer' }}>
                <td className="mono">{l.created.slice(0, 19)}</td>
                <td className={Number(l.data.status) >= 400 ? 'error' : ''}>{String(l.data.status ?? '')}</td>
                <td>{String(l.data.method ?? '')}</td>
                <td className="mono">{String(l.data.url ?? l.message)}</td>
                <td>{Number(l.data.execTime ?? 0).toFixed(1)}</td>
                <td>{String(l.data.auth ?? '')}</td>
              </tr>
            ))}
            {list && list.items.length === 0 && <tr><td colSpan={6} className="muted">No requests match.</td></tr>}
          </tbody>
        </table>
      </div>
      {list && <Pager page={list.page} totalPages={list.totalPages} count={`${list.totalItems} requests`} onPage={setPage} />}
      {open && (
        <Modal title={open.message} onClose={() => setOpen(null)}>
          <pre className="mono" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(open, null, 2)}</pre>
          <button type="button" onClick={() => setOpen(null)}>Close</button>
        </Modal>
      )}
    </div>
  );
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function toFilter(f: Filters): string {
  const parts: string[] = [];
  if (f.expr.trim()) parts.push(`(${f.expr})`);
  if (f.status === 'ok') parts.push('data.status < 400');
  if (f.status === '4xx') parts.push('data.status >= 400 && data.status < 500');
  if (f.status === '5xx') parts.push('data.status >= 500');
  if (f.status === 'errors') parts.push('data.status >= 400');
  if (f.method) parts.push(`data.method = ${quote(f.method)}`);
  if (f.path.trim()) parts.push(`data.url ~ ${quote(f.path.trim())}`);
  if (f.from) parts.push(`created >= ${quote(stamp(new Date(f.from)))}`);
  if (f.to) parts.push(`created <= ${quote(stamp(new Date(f.to)))}`);
  return parts.join(' && ');
}
