import { useEffect, useState } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { Notice } from './ui';

type Provider = { name: string; displayName?: string; clientId: string; clientSecret?: string; authURL?: string; tokenURL?: string; userInfoURL?: string; pkce?: boolean; extra?: Record<string, string> };
type OAuth2 = { enabled: boolean; providers: Provider[]; mappedFields?: Record<string, string> };

/** OAuth2 providers of one auth collection (docs/oauth2.md); client secrets are write-only. */
export function OAuth2Settings() {
  const [collections, setCollections] = useState<CollectionModel[]>([]);
  const [name, setName] = useState('users');
  const [names, setNames] = useState<string[]>([]);
  const [cfg, setCfg] = useState<OAuth2 | null>(null);
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');

  useEffect(() => {
    pb().collections.getFullList({ filter: "type = 'auth'" }).then((c) => setCollections(c.filter((x) => x.name !== '_superusers'))).catch(() => {});
    pb().send<{ name: string }[]>('/api/collections/meta/oauth2-providers', {}).then((p) => setNames(p.map((x) => x.name))).catch(() => {});
  }, []);
  useEffect(() => {
    const c = collections.find((x) => x.name === name);
    const o = (c as unknown as { oauth2?: OAuth2 })?.oauth2;
    // A collection without OAuth2 options yet starts from "disabled, no providers".
    setCfg(o ? { ...o, providers: (o.providers ?? []).map((p) => ({ ...p, clientSecret: '' })) } : c ? { enabled: false, providers: [] } : null);
  }, [collections, name]);

  async function save() {
    if (!cfg) return;
    setError(''); setOk('');
    const providers = cfg.providers.map((p) => { const q = { ...p }; if (!q.clientSecret) delete q.clientSecret; return q; });
    try {
      const c = collections.find((x) => x.name === name)!;
      const saved = await pb().collections.update(c.id, { oauth2: { ...cfg, providers } });
      setCollections(collections.map((x) => (x.id === saved.id ? saved : x)));
      setOk('Saved.');
    } catch (err) { setError(errorText(err)); }
  }

  const setP = (i: number, p: Partial<Provider>) => cfg && setCfg({ ...cfg, providers: cfg.providers.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  return (
    <section className="panel" aria-label="OAuth2 providers">
      <h2 style={{ marginTop: 0 }}>OAuth2 providers</h2>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <label><span>Auth collection</span>
        <select value={name} onChange={(e) => setName(e.target.value)}>{collections.map((c) => <option key={c.id}>{c.name}</option>)}</select>
      </label>
      {cfg && (
        <>
          <label className="check"><input type="checkbox" checked={cfg.enabled} onChange={(e) => setCfg({ ...cfg, enabled: e.target.checked })} /><span>OAuth2 sign-in enabled</span></label>
          {cfg.providers.map((p, i) => (
            <fieldset key={i} className="field-card">
              <div className="grid2">
                <label><span>Provider</span><select value={p.name} onChange={(e) => setP(i, { name: e.target.value })}>{[p.name, ...names.filter((n) => n !== p.name)].map((n) => <option key={n}>{n}</option>)}</select></label>
                <label><span>Display name</span><input value={p.displayName ?? ''} onChange={(e) => setP(i, { displayName: e.target.value })} /></label>
                <label><span>Client id</span><input value={p.clientId} onChange={(e) => setP(i, { clientId: e.target.value })} /></label>
                <label><span>Client secret (empty keeps it)</span><input type="password" autoComplete="off" value={p.clientSecret ?? ''} onChange={(e) => setP(i, { clientSecret: e.target.value })} /></label>
                <label><span>Auth URL (optional)</span><input value={p.authURL ?? ''} onChange={(e) => setP(i, { authURL: e.target.value })} /></label>
                <label><span>Token URL (optional)</span><input value={p.tokenURL ?? ''} onChange={(e) => setP(i, { tokenURL: e.target.value })} /></label>
                <label><span>User info URL (optional)</span><input value={p.userInfoURL ?? ''} onChange={(e) => setP(i, { userInfoURL: e.target.value })} /></label>
                <label><span>Issuer (OpenID Connect)</span><input value={p.extra?.issuer ?? ''} onChange={(e) => setP(i, { extra: { ...(p.extra ?? {}), issuer: e.target.value } })} /></label>
              </div>
              <button type="button" className="danger" onClick={() => setCfg({ ...cfg, providers: cfg.providers.filter((_, j) => j !== i) })}>Remove provider</button>
            </fieldset>
          ))}
          <div className="row">
            <button type="button" onClick={() => setCfg({ ...cfg, providers: [...cfg.providers, { name: names[0] ?? 'google', clientId: '', clientSecret: '' }] })}>Add provider</button>
            <button type="button" className="primary" onClick={save}>Save OAuth2</button>
          </div>
        </>
      )}
    </section>
  );
}
