import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { pb, errorText, fieldErrors, getSession } from '../lib/session';
import { Notice, Confirm } from '../components/ui';

type Backup = { key: string; size: number; modified: string };
type Pending = { kind: 'restore' | 'delete'; backup: Backup } | null;

const NAME = /^[a-z0-9_-]+\.zip$/;

/**
 * The project's backups (docs/backups.md): list with size and date, create (optionally named), download, upload,
 * restore (after a confirmation naming the project and what is replaced), delete, and the schedule (cron + keep).
 * While a backup or restore runs (here or elsewhere: health's canBackup) every action is disabled.
 */
export function BackupsPage() {
  const project = getSession().project;
  const [backups, setBackups] = useState<Backup[] | null>(null);
  const [canBackup, setCanBackup] = useState(true);
  const [busy, setBusy] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [ok, setOk] = useState('');

  const load = useCallback(async () => {
    try {
      const [list, health] = await Promise.all([pb().backups.getFullList(), pb().health.check()]);
      setBackups(list as Backup[]);
      setCanBackup((health.data as { canBackup?: boolean } | undefined)?.canBackup !== false);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  // Another backup or restore is running (a scheduled one, another tab): look again until it ends.
  useEffect(() => {
    if (canBackup || busy) return;
    const t = window.setTimeout(() => { void load(); }, 3000);
    return () => window.clearTimeout(t);
  }, [canBackup, busy, load]);

  async function run(label: string, done: string, action: () => Promise<unknown>) {
    setBusy(label); setError(''); setErrors({}); setOk('');
    try {
      await action();
      setOk(done);
      return true;
    } catch (e) {
      setError(errorText(e)); setErrors(fieldErrors(e));
      return false;
    } finally {
      setBusy('');
      await load();
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (n && !NAME.test(n)) {
      setErrors({ name: 'Use lowercase letters, digits, "_" or "-", ending with .zip.' });
      return;
    }
    if (await run(n ? `Creating ${n}…` : 'Creating a backup…', n ? `Backup ${n} created.` : 'Backup created.', () => pb().backups.create(n))) setName('');
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    const f = file;
    if (await run(`Uploading ${f.name}…`, `Uploaded ${f.name}.`, () => pb().backups.upload({ file: f }))) {
      setFile(null); setFileKey((k) => k + 1);
    }
  }

  async function download(b: Backup) {
    try {
      const token = await pb().files.getToken();
      window.location.assign(pb().backups.getDownloadURL(token, b.key));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function confirmPending() {
    if (!pending) return;
    const { kind, backup } = pending;
    setPending(null);
    if (kind === 'restore') await run(`Restoring ${backup.key}…`, `Project ${project} restored from ${backup.key}.`, () => pb().backups.restore(backup.key));
    else await run(`Deleting ${backup.key}…`, `Deleted ${backup.key}.`, () => pb().backups.delete(backup.key));
  }

  const disabled = !!busy || !canBackup;
  return (
    <div>
      <h1>Backups</h1>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      {busy && <div className="notice progress" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" /> {busy}</div>}
      {!busy && !canBackup && <div className="notice progress" role="status">A backup or restore of project {project} is running. Actions are available again when it ends.</div>}

      <div className="grid2 backups-forms">
        <form className="panel" onSubmit={create} aria-label="Create a backup">
          <h2 style={{ marginTop: 0 }}>New backup</h2>
          <label><span>Name (optional, e.g. before_migration.zip)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="generated when empty" autoComplete="off" disabled={disabled} />
            {errors.name && <span className="error">{errors.name}</span>}
          </label>
          <div className="row"><button type="submit" className="primary" disabled={disabled}>Create backup</button></div>
        </form>
        <form className="panel" onSubmit={upload} aria-label="Upload a backup">
          <h2 style={{ marginTop: 0 }}>Upload</h2>
          <label><span>Backup zip (PaperGao or PocketBase)</span>
            <input key={fileKey} type="file" accept=".zip,application/zip" disabled={disabled} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            {errors.file && <span className="error">{errors.file}</span>}
          </label>
          <div className="row"><button type="submit" disabled={disabled || !file}>Upload backup</button></div>
        </form>
      </div>

      <div className="table-wrap">
        <table aria-label="Backups">
          <thead><tr><th>Name</th><th>Size</th><th>Created</th><th /></tr></thead>
          <tbody>
            {(backups ?? []).map((b) => (
              <tr key={b.key}>
                <td className="mono">{b.key}</td>
                <td>{formatSize(b.size)}</td>
                <td>{formatDate(b.modified)}</td>
                <td>
                  <div className="row" style={{ flexWrap: 'nowrap' }}>
                    <button type="button" onClick={() => download(b)} aria-label={`Download ${b.key}`}>Download</button>
                    <button type="button" disabled={disabled} onClick={() => setPending({ kind: 'restore', backup: b })} aria-label={`Restore ${b.key}`}>Restore</button>
                    <button type="button" className="danger" disabled={disabled} onClick={() => setPending({ kind: 'delete', backup: b })} aria-label={`Delete ${b.key}`}>Delete</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {backups && backups.length === 0 && <p className="muted">No backups yet.</p>}

      <Schedule disabled={!!busy} />

      {pending?.kind === 'restore' && (
        <Confirm title={`Restore project ${project}?`} confirmLabel={`Restore ${pending.backup.key}`} onCancel={() => setPending(null)} onConfirm={confirmPending}
          message={<>
            <p style={{ marginTop: 0 }}>Everything in project <b>{project}</b> is replaced by the content of <b className="mono">{pending.backup.key}</b> ({formatDate(pending.backup.modified)}):
              its collections, records, files, settings and API keys. Records and files written since then are lost.</p>
            <p className="muted" style={{ marginBottom: 0 }}>Requests to the project wait while it is restored; realtime clients reconnect. Other projects are not touched.</p>
          </>} />
      )}
      {pending?.kind === 'delete' && (
        <Confirm title="Delete backup?" confirmLabel={`Delete ${pending.backup.key}`} onCancel={() => setPending(null)} onConfirm={confirmPending}
          message={<>Backup <b className="mono">{pending.backup.key}</b> of project <b>{project}</b> is deleted for good.</>} />
      )}
    </div>
  );
}

/** backups.cron (5 fields, UTC, or a macro such as @daily) and backups.cronMaxKeep, with the server's field errors. */
function Schedule({ disabled }: { disabled: boolean }) {
  const [cron, setCron] = useState('');
  const [keep, setKeep] = useState('3');
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [ok, setOk] = useState('');

  useEffect(() => {
    pb().settings.getAll().then((s) => {
      const b = (s.backups ?? {}) as { cron?: string; cronMaxKeep?: number };
      setCron(b.cron ?? ''); setKeep(String(b.cronMaxKeep ?? 0)); setLoaded(true);
    }).catch((e) => setError(errorText(e)));
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(''); setErrors({}); setOk('');
    const n = keep.trim() === '' ? 0 : Number(keep);
    try {
      const s = await pb().settings.update({ backups: { cron: cron.trim(), cronMaxKeep: n } });
      const b = (s.backups ?? {}) as { cron?: string; cronMaxKeep?: number };
      setCron(b.cron ?? ''); setKeep(String(b.cronMaxKeep ?? 0));
      setOk(b.cron ? `Schedule saved: ${b.cron} (UTC), keeping the newest ${b.cronMaxKeep}.` : 'Scheduled backups are off.');
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      setError(f['backups.cron'] || f['backups.cronMaxKeep'] ? 'The schedule was not saved.' : errorText(err));
    }
  }

  return (
    <form className="panel" onSubmit={save} aria-label="Backup schedule">
      <h2 style={{ marginTop: 0 }}>Schedule</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Scheduled backups are named auto_pb_backup_…; only the newest of them are kept. Empty cron: no scheduled backups.
      </p>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <div className="grid2">
        <label><span>Cron (UTC), e.g. 0 3 * * * or @daily</span>
          <input className="mono" value={cron} onChange={(e) => setCron(e.target.value)} autoComplete="off" disabled={!loaded} aria-invalid={!!errors['backups.cron']} />
          {errors['backups.cron'] && <span className="error">{errors['backups.cron']}</span>}
        </label>
        <label><span>Keep the newest</span>
          <input type="number" value={keep} onChange={(e) => setKeep(e.target.value)} disabled={!loaded} aria-invalid={!!errors['backups.cronMaxKeep']} />
          {errors['backups.cronMaxKeep'] && <span className="error">{errors['backups.cronMaxKeep']}</span>}
        </label>
      </div>
      <div className="row"><button type="submit" className="primary" disabled={!loaded || disabled}>Save schedule</button></div>
    </form>
  );
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "2026-12-05 15:04:05.123Z" → "2026-12-05 15:04 UTC". */
function formatDate(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(s);
  return m ? `${m[1]} ${m[2]} UTC` : s;
}
