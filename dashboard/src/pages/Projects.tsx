import { useEffect, useState, type FormEvent } from 'react';
import { pb, errorText, fieldErrors, switchProject } from '../lib/session';
import { useSession } from '../lib/useSession';
import { navigate } from '../lib/router';
import { Notice, useConfirm } from '../components/ui';
import { bytes } from './Analytics';
import { projectsChanged } from '../lib/projects';

type Project = { name: string; apiPath: string; default: boolean };
type Usage = { database: number; logs: number; files: number };

/** Projects of the server (docs/projects.md): only superusers of `main` manage them. */
export function ProjectsPage() {
  const session = useSession();
  const [items, setItems] = useState<Project[] | null>(null);
  const [usage, setUsage] = useState<Record<string, Usage>>({});
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [nameError, setNameError] = useState('');
  const [confirmDialog, ask] = useConfirm();

  const load = () => pb().send<{ items: Project[] }>('/api/platform/projects', { query: { perPage: 500 } }).then((r) => {
    setItems(r.items);
    // The bytes each project uses come from its own view (measured on request, so not part of the list).
    for (const p of r.items) {
      pb().send<Project & { usage: Usage }>(`/api/platform/projects/${encodeURIComponent(p.name)}`, { requestKey: null })
        .then((v) => setUsage((u) => ({ ...u, [p.name]: v.usage })))
        .catch(() => { /* a project deleted meanwhile: no usage to show */ });
    }
  }).catch((e) => setError(errorText(e)));
  useEffect(() => { if (session.project === 'main') void load(); }, [session.project]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(''); setNameError(''); setOk('');
    try {
      const p = await pb().send<Project>('/api/platform/projects', { method: 'POST', body: { name: name.trim() } });
      setOk(`Project ${p.name} created. Create its first superuser with: ./papergao superuser upsert EMAIL PASSWORD --project ${p.name}`);
      setName('');
      projectsChanged();
      await load();
    } catch (err) {
      setError(errorText(err)); setNameError(fieldErrors(err).name ?? '');
    }
  }

  async function remove(p: Project) {
    if (!(await ask({ title: 'Delete project?', message: `Delete project "${p.name}" and its whole database? This cannot be undone.`, confirmLabel: 'Delete' }))) return;
    try { await pb().send(`/api/platform/projects/${encodeURIComponent(p.name)}`, { method: 'DELETE' }); projectsChanged(); await load(); } catch (err) { setError(errorText(err)); }
  }

  function open(p: Project) {
    switchProject(p.name);
    navigate('collections');
  }

  if (session.project !== 'main') {
    return (
      <div>
        <h1>Projects</h1>
        <p>Projects are managed from the <b>main</b> project.</p>
        <button type="button" onClick={() => { switchProject('main'); navigate('projects'); }}>Switch to main</button>
      </div>
    );
  }
  return (
    <div>
      <h1>Projects</h1>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <form className="panel row" onSubmit={create} aria-label="New project">
        <label className="grow" style={{ margin: 0 }}><span>New project name (lowercase letters, digits, _ and -)</span>
          <input value={name} required pattern="[a-z][a-z0-9_\-]{0,39}" onChange={(e) => setName(e.target.value)} />
          {nameError && <span className="error">{nameError}</span>}
        </label>
        <button type="submit" className="primary" style={{ alignSelf: 'flex-end' }}>Create</button>
      </form>
      <div className="table-wrap">
        <table aria-label="Projects">
          <thead><tr><th>Name</th><th>API path</th><th>Usage</th><th></th></tr></thead>
          <tbody>
            {(items ?? []).map((p) => (
              <tr key={p.name}>
                <td>{p.name} {p.default && <span className="badge">default</span>}</td>
                <td className="mono">{p.apiPath}</td>
                <td className="muted">{usage[p.name] ? `database ${bytes(usage[p.name].database)} · files ${bytes(usage[p.name].files)} · logs ${bytes(usage[p.name].logs)}` : '…'}</td>
                <td className="row">
                  <button type="button" onClick={() => open(p)} disabled={p.name === session.project}>Open</button>
                  {!p.default && <button type="button" className="danger" onClick={() => remove(p)}>Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirmDialog}
    </div>
  );
}
