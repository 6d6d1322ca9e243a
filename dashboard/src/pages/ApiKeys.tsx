import { useEffect, useState, type FormEvent } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText, fieldErrors } from '../lib/session';
import { Notice, useConfirm } from '../components/ui';

type ApiKey = {
  id: string; name: string; superuser: boolean; expires: string; lastUsed: string; created: string;
  scopes: { collection: string; collectionName?: string; actions: string[] }[];
  key?: string;
};
const ACTIONS = ['list', 'view', 'create', 'update', 'delete'];

/** API keys of the project (docs/api-keys.md): list, create (the secret is shown once), revoke. */
export function ApiKeysPage() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [collections, setCollections] = useState<CollectionModel[]>([]);
  const [name, setName] = useState('');
  const [superuser, setSuperuser] = useState(false);
  const [scopes, setScopes] = useState<Record<string, string[]>>({});
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmDialog, ask] = useConfirm();

  const load = () => pb().send<ApiKey[]>('/api/keys', {}).then(setKeys).catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
    pb().collections.getFullList({ sort: 'name' }).then((c) => setCollections(c.filter((x) => !x.system || x.name === 'users'))).catch(() => {});
  }, []);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(''); setErrors({}); setCreated(null);
    const body = {
      name: name.trim(),
      superuser,
      scopes: superuser ? [] : Object.entries(scopes).filter(([, a]) => a.length).map(([collection, actions]) => ({ collection, actions })),
      expires: expires ? new Date(expires).toISOString().replace('T', ' ') : '',
    };
    try {
      const k = await pb().send<ApiKey>('/api/keys', { method: 'POST', body });
      setCreated(k);
      setName(''); setScopes({}); setExpires(''); setSuperuser(false);
      await load();
    } catch (err) {
      setError(errorText(err)); setErrors(fieldErrors(err));
    }
  }

  async function revoke(k: ApiKey) {
    if (!(await ask({ title: 'Revoke key?', message: `Revoke key "${k.name}"? Clients using it stop working at once.`, confirmLabel: 'Revoke' }))) return;
    try { await pb().send(`/api/keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' }); await load(); } catch (err) { setError(errorText(err)); }
  }

  const toggle = (c: string, a: string, on: boolean) => setScopes((s) => ({ ...s, [c]: on ? [...(s[c] ?? []), a] : (s[c] ?? []).filter((x) => x !== a) }));
  return (
    <div>
      <h1>API keys</h1>
      <Notice kind="error">{error}</Notice>
      {created?.key && (
        <div className="notice ok" role="status">
          Key <b>{created.name}</b> created. Copy it now, it is not shown again:
          <input readOnly className="mono" aria-label="New API key" value={created.key} onFocus={(e) => e.target.select()} style={{ marginTop: 6 }} />
        </div>
      )}
      <form className="panel" onSubmit={create} aria-label="Create an API key">
        <h2 style={{ marginTop: 0 }}>New key</h2>
        <div className="grid2">
          <label><span>Name</span><input value={name} required onChange={(e) => setName(e.target.value)} />{errors.name && <span className="error">{errors.name}</span>}</label>
          <label><span>Expires (optional)</span><input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />{errors.expires && <span className="error">{errors.expires}</span>}</label>
        </div>
        <label className="check"><input type="checkbox" checked={superuser} onChange={(e) => setSuperuser(e.target.checked)} /><span>Superuser key (full access to this project)</span></label>
        {!superuser && (
          <div className="table-wrap" style={{ marginBottom: 10 }}>
            <table aria-label="Scopes">
              <thead><tr><th>Collection</th>{ACTIONS.map((a) => <th key={a}>{a}</th>)}</tr></thead>
              <tbody>
                {collections.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    {ACTIONS.map((a) => (
                      <td key={a}><input type="checkbox" aria-label={`${c.name} ${a}`} checked={(scopes[c.name] ?? []).includes(a)} onChange={(e) => toggle(c.name, a, e.target.checked)} /></td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {Object.entries(errors).filter(([k]) => k.startsWith('scopes')).map(([k, v]) => <div key={k} className="error">{k}: {v}</div>)}
        <button type="submit" className="primary">Create key</button>
      </form>
      <div className="table-wrap">
        <table aria-label="API keys">
          <thead><tr><th>Name</th><th>Id</th><th>Access</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
          <tbody>
            {(keys ?? []).map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td className="mono">{k.id}</td>
                <td>{k.superuser ? <span className="badge">superuser</span> : k.scopes.map((s) => `${s.collectionName ?? s.collection}: ${s.actions.join('/')}`).join('; ')}</td>
                <td>{k.expires || 'never'}</td>
                <td>{k.lastUsed || '—'}</td>
                <td><button type="button" className="danger" onClick={() => revoke(k)}>Revoke</button></td>
              </tr>
            ))}
            {keys && keys.length === 0 && <tr><td colSpan={6} className="muted">No keys.</td></tr>}
          </tbody>
        </table>
      </div>
      {confirmDialog}
    </div>
  );
}
