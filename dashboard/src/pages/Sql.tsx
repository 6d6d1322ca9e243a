import { useEffect, useRef, useState, type FormEvent } from 'react';
import { pb, errorText } from '../lib/session';
import { Notice, plural, useFocusFirstError } from '../components/ui';
import { CodeEditor } from '../components/CodeEditor';

type Column = { name: string; type: string; nullable: boolean };
type Result = { execTime: number; affectedRows: number; columns: Column[]; rows: (string | null)[][] };

/**
 * The SQL console of superusers (`POST /api/sql`, docs/security.md): write statements run in one transaction,
 * anything else read-only; the last result set (at most 1000 rows) is shown as a table.
 */
export function SqlPage() {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [words, setWords] = useState<string[]>([]);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, error);

  // Table names for completion: the collections of this project (system tables are the SQL keywords' company).
  useEffect(() => {
    let gone = false;
    pb().collections.getFullList({ fields: 'name' })
      .then((list) => { if (!gone) setWords(list.map((c) => c.name)); })
      .catch(() => { /* completion is optional */ });
    return () => { gone = true; };
  }, []);

  async function run(e?: FormEvent) {
    e?.preventDefault();
    if (!query.trim()) { setError('Type a query first.'); return; }
    setBusy(true); setError('');
    try {
      setResult(await pb().send<Result>('/api/sql', { method: 'POST', body: { query } }));
    } catch (err) {
      setResult(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h1>SQL</h1>
      <p className="muted" style={{ marginTop: 0 }}>
        Runs in this project's database. Statements starting with INSERT, CREATE, UPDATE, DELETE, DROP, ALTER or REPLACE
        run in one write transaction; anything else runs read-only. At most 1000 rows are shown. Ctrl+Enter runs.
      </p>
      <form ref={form} onSubmit={run} aria-label="SQL console" className="panel">
        <div className="field">
          <span id="sql-query-label">Query</span>
          <CodeEditor value={query} onChange={setQuery} language="sql" ariaLabel="Query" words={words} minHeight={140}
            placeholder="SELECT * FROM users LIMIT 10" onSubmit={() => void run()}
            ariaInvalid={!!error} ariaDescribedBy={error ? 'sql-error' : undefined} />
        </div>
        <div className="row"><button type="submit" className="primary" disabled={busy}>{busy ? 'Running…' : 'Run'}</button></div>
      </form>
      {error && <div id="sql-error"><Notice kind="error"><span style={{ whiteSpace: 'pre-wrap' }}>{error}</span></Notice></div>}
      {result && (
        <>
          <p className="muted" role="status">
            {result.columns.length ? plural(result.rows.length, 'row') : `${plural(result.affectedRows, 'row')} affected`} · {result.execTime} ms
          </p>
          {result.columns.length > 0 && (
            <div className="table-wrap">
              <table className="sql-results" aria-label="Query result">
                <thead><tr>{result.columns.map((c, i) => <th key={i} scope="col" title={c.type || 'expression'}>{c.name}</th>)}</tr></thead>
                <tbody>
                  {result.rows.map((r, i) => (
                    <tr key={i}>{r.map((v, j) => <td key={j} title={v ?? 'NULL'}>{v === null ? <span className="muted">NULL</span> : v}</td>)}</tr>
                  ))}
                  {result.rows.length === 0 && <tr><td colSpan={result.columns.length} className="muted">No rows.</td></tr>}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
