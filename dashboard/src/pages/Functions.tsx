import { useCallback, useEffect, useMemo, useState } from 'react';
import { pb, errorText } from '../lib/session';
import { Notice, plural, useConfirm } from '../components/ui';
import { CodeEditor, type EditorProblem } from '../components/CodeEditor';
import { FunctionSettings } from '../components/FunctionSettings';

type Registration = { file: string };
type Running = {
  version: string;
  files: { name: string; code: string }[];
  routes: (Registration & { method: string; path: string })[];
  hooks: (Registration & { name: string; tags: string[] })[];
  crons: (Registration & { id: string; expression: string })[];
  error: { file: string; line: number; column: number; message: string } | null;
};
type Version = { version: number; created: string; author: string; note: string; files: Record<string, string> | string[] };
type LogItem = { id: string; created: string; level: number; message: string; data: { function?: string; invocation?: string; level?: string; data?: string } };

// Short lines: the editor has no line wrapping, and a line wider than it makes a scroller axe wants focusable.
const STARTER = `routerAdd("GET", "/api/hello/{name}", (e) => {\n  const name = e.request.pathValue("name")\n  return e.json(200, { message: "Hi " + name })\n})\n`;
/** Globals of the functions API offered while typing (docs/functions.md). */
const WORDS = ['routerAdd', 'routerUse', 'cronAdd', 'cronRemove', 'onRecordCreate', 'onRecordUpdate', 'onRecordDelete',
  'onRecordAfterCreateSuccess', 'onRecordAfterUpdateSuccess', 'onRecordAfterDeleteSuccess', 'onRecordCreateRequest',
  'onRecordUpdateRequest', 'onRecordDeleteRequest', 'onRecordViewRequest', 'onRecordsListRequest', 'onRecordEnrich',
  'onRecordAuthRequest', 'onRecordAuthWithPasswordRequest', 'onMailerSend', '$app', '$apis', '$security', '$http', '$os',
  '$mails', '$push', 'findRecordById', 'findFirstRecordByFilter', 'findRecordsByFilter', 'countRecords', 'newMailClient',
  'MailerMessage', 'Record', 'BadRequestError', 'NotFoundError', 'ForbiddenError', 'UnauthorizedError', 'ApiError', 'require'];

/**
 * The project's functions (docs/functions.md): the files of the running version, an editor where saving deploys
 * every file as a new version (a load error comes back with file, line and column and is marked in the editor),
 * the versions with rollback, the recent log lines of the open file's functions, grouped by invocation, and the
 * project's limits and secrets (components/FunctionSettings.tsx).
 */
export function FunctionsPage() {
  const [running, setRunning] = useState<Running | null>(null);
  const [files, setFiles] = useState<Record<string, string>>({});
  const [current, setCurrent] = useState('main.pb.js');
  const [dirty, setDirty] = useState(false);
  const [versions, setVersions] = useState<Version[]>([]);
  const [logs, setLogs] = useState<LogItem[]>([]);
  const [problem, setProblem] = useState<{ file: string; line: number; column: number; message: string } | null>(null);
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');
  const [confirm, ask] = useConfirm();

  const load = useCallback(async () => {
    try {
      const r = await pb().send<Running>('/api/functions', {});
      setRunning(r);
      const map: Record<string, string> = {};
      for (const f of r.files) map[f.name] = f.code;
      if (r.files.length === 0) map['main.pb.js'] = STARTER;
      setFiles(map);
      setCurrent((c) => (c in map ? c : Object.keys(map)[0]));
      setDirty(false);
      setProblem(r.error);
      setVersions(await pb().send<Version[]>('/api/functions/versions', {}));
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const loadLogs = useCallback(async () => {
    try {
      const page = await pb().send<{ items: LogItem[] }>('/api/logs', { query: { page: 1, perPage: 200, sort: '-created', filter: "data.type = 'function'" } });
      setLogs(page.items);
    } catch { /* logs are an aid; the editor works without them */ }
  }, []);
  useEffect(() => { void loadLogs(); }, [loadLogs]);

  async function deploy() {
    setBusy(true); setError(''); setOk('');
    try {
      const r = await pb().send<{ version: number }>('/api/functions', { method: 'PUT', body: { files } });
      setOk(`Deployed version ${r.version}.`);
      await load();
    } catch (e) {
      const where = (e as { response?: { data?: { files?: { params?: { file: string; line: number; column: number; reason: string } } } } })
        .response?.data?.files?.params;
      if (where) {
        setProblem({ file: where.file, line: where.line, column: where.column, message: where.reason });
        if (where.file in files) setCurrent(where.file);
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function rollback(v: number) {
    if (!(await ask({ title: `Roll back to version ${v}?`, message: <p style={{ marginTop: 0 }}>Its files are deployed again as a new version.</p>, confirmLabel: 'Roll back' }))) return;
    setBusy(true); setError(''); setOk('');
    try {
      const r = await pb().send<{ version: number }>('/api/functions/rollback', { method: 'POST', body: { version: v } });
      setOk(`Rolled back: version ${r.version} runs version ${v}'s files.`);
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function addFile() {
    const name = newName.trim();
    if (!/^[A-Za-z0-9_\-./]+\.js$/.test(name) || name.includes('..')) { setError('A file name ends in .js (entry files in .pb.js) and has no "..".'); return; }
    if (!(name in files)) setFiles({ ...files, [name]: '' });
    setCurrent(name); setNewName(''); setDirty(true); setError('');
  }

  function removeFile(name: string) {
    const next = { ...files };
    delete next[name];
    setFiles(next);
    setCurrent(Object.keys(next)[0] ?? 'main.pb.js');
    setDirty(true);
  }

  const problems: EditorProblem[] = problem && problem.file === current && problem.line > 0
    ? [{ line: problem.line, column: Math.max(1, problem.column), message: problem.message }] : [];

  // The open file's functions (their names in log lines) and their log lines grouped by invocation, newest first.
  const names = useMemo(() => {
    const set = new Set<string>();
    for (const r of running?.routes ?? []) if (r.file === current) set.add(`${r.method} ${r.path}`);
    for (const h of running?.hooks ?? []) if (h.file === current) set.add(h.name);
    for (const c of running?.crons ?? []) if (c.file === current) set.add(`cron ${c.id}`);
    return set;
  }, [running, current]);
  const groups = useMemo(() => {
    const map = new Map<string, LogItem[]>();
    for (const l of logs) {
      if (!names.has(l.data.function ?? '')) continue;
      const key = l.data.invocation || l.id;
      map.set(key, [...(map.get(key) ?? []), l]);
    }
    return [...map.entries()].slice(0, 20).map(([id, lines]) => ({ id, lines: [...lines].reverse() }));
  }, [logs, names]);

  return (
    <div>
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>Functions</h1>
        <span className="muted" role="status">{running?.version ? `Running ${running.version}` : 'Nothing deployed'}</span>
      </div>
      <p className="muted" style={{ marginTop: 0 }}>
        JavaScript routes, hooks and cron jobs of this project. Save deploys every file as a new version (Ctrl+Enter saves).
      </p>
      {confirm}
      <Notice kind="ok">{ok}</Notice>
      {error && <div id="functions-error"><Notice kind="error"><span style={{ whiteSpace: 'pre-wrap' }}>{error}</span></Notice></div>}
      <div className="functions-layout">
        <section className="panel" aria-label="Files">
          <h2 style={{ marginTop: 0, fontSize: 16 }}>Files</h2>
          <ul className="plain-list">
            {Object.keys(files).sort().map((name) => (
              <li key={name} className="row">
                <button type="button" className={name === current ? 'grow active' : 'grow'} aria-current={name === current ? 'true' : undefined}
                  onClick={() => setCurrent(name)}>{name}</button>
                <button type="button" aria-label={`Remove ${name}`} onClick={() => removeFile(name)}>×</button>
              </li>
            ))}
          </ul>
          <form className="row" onSubmit={(e) => { e.preventDefault(); addFile(); }} aria-label="New file">
            <label className="grow" style={{ margin: 0 }}><span>New file</span><input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="lib/util.js" /></label>
            <button type="submit">Add</button>
          </form>
        </section>
        <section className="panel grow" aria-label="Editor">
          <div className="field">
            <span id="functions-file-label">{current}</span>
            {/* Not before the running version has loaded: typing into an empty editor would be replaced when it arrives. */}
            {running ? (
              <CodeEditor key={current} value={files[current] ?? ''} language="javascript" ariaLabel={`Code of ${current}`} words={WORDS}
                minHeight={320} problems={problems} onChange={(v) => { setFiles((f) => ({ ...f, [current]: v })); setDirty(true); }}
                onSubmit={() => void deploy()} ariaInvalid={problems.length > 0} ariaDescribedBy={problems.length ? 'functions-error' : undefined} />
            ) : <p className="muted">Loading…</p>}
          </div>
          {problem && (
            <p className="muted">Load error in {problem.file}:{problem.line}:{problem.column}: {problem.message}</p>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void deploy()}>{busy ? 'Deploying…' : 'Save and deploy'}</button>
            {dirty && <span className="muted">Unsaved changes</span>}
          </div>
        </section>
        <section className="panel" aria-label="Recent logs">
          <div className="row"><h2 className="grow" style={{ marginTop: 0, fontSize: 16 }}>Logs of {current}</h2>
            <button type="button" onClick={() => void loadLogs()}>Refresh logs</button></div>
          {groups.length === 0 && <p className="muted">No log lines of this file's functions yet.</p>}
          {groups.map((g) => (
            <details key={g.id} open className="invocation">
              <summary>{g.lines[0]?.data.function} · {g.lines[0]?.created} · {plural(g.lines.length, 'line')} <span className="muted">({g.id})</span></summary>
              <ul className="plain-list">
                {g.lines.map((l) => <li key={l.id} className={l.data.level === 'error' ? 'log-error' : undefined}><code>{l.data.level}</code> {l.message}{l.data.data ? ` ${l.data.data}` : ''}</li>)}
              </ul>
            </details>
          ))}
        </section>
      </div>
      <section className="panel" aria-label="Versions">
        <h2 style={{ marginTop: 0, fontSize: 16 }}>Versions</h2>
        {versions.length === 0 ? <p className="muted">No deployed versions.</p> : (
          <div className="table-wrap">
            <table aria-label="Deployed versions">
              <thead><tr><th scope="col">Version</th><th scope="col">Deployed</th><th scope="col">By</th><th scope="col">Note</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>v{v.version}</td><td>{v.created}</td><td>{v.author}</td><td>{v.note}</td>
                    <td>{`v${v.version}` === running?.version ? <span className="muted">running</span>
                      : <button type="button" disabled={busy} onClick={() => void rollback(v.version)}>Roll back to v{v.version}</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <FunctionSettings />
    </div>
  );
}
