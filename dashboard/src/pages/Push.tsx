import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText, fieldErrors } from '../lib/session';
import { Notice, useConfirm } from '../components/ui';
import { RuleInput } from '../components/RuleInput';
import { filterWordsOf } from '../lib/filterCompletion';

type PushSettings = Record<string, unknown>;
type Credentials = { vapidPrivateKey: boolean; fcmServiceAccount: boolean; apnsPrivateKey: boolean; platforms: string[] };
type SendLog = { id: string; status: string; target: string; recipients: number; accepted: number; rejected: number; invalid: number; retried: number; error: string; created: string; updated: string };
type Errors = Record<string, string>;
type Described = { 'aria-invalid'?: true; 'aria-describedby'?: string };

/**
 * Push notifications of the project (docs/push.md): Web Push (VAPID keys generated here), FCM (service-account JSON)
 * and APNs (.p8 key); the credentials are write-only (shown as set / not set, an empty box keeps them). A send form
 * (users, a topic or a filter; a dry run shows the recipients count) and the delivery log of the recent sends.
 */
export function PushPage() {
  const [settings, setSettings] = useState<PushSettings | null>(null);
  const [creds, setCreds] = useState<Credentials | null>(null);
  const [logs, setLogs] = useState<SendLog[]>([]);
  const [error, setError] = useState('');

  const loadSettings = async () => {
    const [s, c] = await Promise.all([pb().settings.getAll(), pb().send<Credentials>('/api/push/credentials', {})]);
    setSettings(((s as Record<string, unknown>).push ?? {}) as PushSettings);
    setCreds(c);
  };
  const loadLogs = () => pb().send<SendLog[]>('/api/push/sends', { query: { limit: 20 } }).then(setLogs);
  useEffect(() => {
    loadSettings().catch((e) => setError(errorText(e)));
    loadLogs().catch((e) => setError(errorText(e)));
  }, []);

  return (
    <div>
      <h1>Push notifications</h1>
      <Notice kind="error">{error}</Notice>
      {settings && creds && (
        <>
          <WebPushForm settings={settings} creds={creds} onSaved={loadSettings} />
          <FcmForm settings={settings} creds={creds} onSaved={loadSettings} />
          <ApnsForm settings={settings} creds={creds} onSaved={loadSettings} />
          <SendForm platforms={creds.platforms} onSent={() => loadLogs().catch((e) => setError(errorText(e)))} />
        </>
      )}
      <section aria-label="Delivery log">
        <div className="row" style={{ alignItems: 'center' }}>
          <h2 className="grow">Delivery log</h2>
          <button type="button" onClick={() => loadLogs().catch((e) => setError(errorText(e)))}>Refresh</button>
        </div>
        <div className="table-wrap">
          <table aria-label="Recent sends">
            <thead><tr><th>Created</th><th>Target</th><th>Status</th><th>Recipients</th><th>Accepted</th><th>Rejected</th><th>Invalid</th><th>Retried</th><th>Error</th></tr></thead>
            <tbody>
              {logs.map((l) => (
                <tr key={l.id}>
                  <td>{l.created}</td><td className="mono">{l.target}</td><td><span className="badge">{l.status}</span></td>
                  <td>{l.recipients}</td><td>{l.accepted}</td><td>{l.rejected}</td><td>{l.invalid}</td><td>{l.retried}</td><td>{l.error}</td>
                </tr>
              ))}
              {logs.length === 0 && <tr><td colSpan={9} className="muted">No sends yet.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

type FormProps = { settings: PushSettings; creds: Credentials; onSaved: () => Promise<void> };

/** One settings form of the push section: saves its keys (secrets only when typed), the server's errors under their inputs. */
function useSectionForm(keys: string[], secrets: string[], settings: PushSettings, onSaved: () => Promise<void>) {
  const initial = () => Object.fromEntries(keys.map((k) => [k, secrets.includes(k) ? '' : settings[k] ?? ''])) as Record<string, unknown>;
  const [draft, setDraft] = useState<Record<string, unknown>>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  useEffect(() => { setDraft(initial()); }, [settings]);

  async function save(e: FormEvent, extra: Record<string, unknown> = {}) {
    e.preventDefault();
    setError(''); setErrors({}); setOk('');
    const out: Record<string, unknown> = { ...extra };
    for (const k of keys) {
      const v = draft[k];
      if (secrets.includes(k)) { if (String(v).trim()) out[k] = String(v); } else out[k] = v;
    }
    try {
      await pb().settings.update({ push: out });
      await onSaved();
      setOk('Saved.');
    } catch (err) {
      const per: Errors = {};
      for (const [k, v] of Object.entries(fieldErrors(err))) per[k.startsWith('push.') ? k.slice(5) : k] = v;
      setErrors(per);
      setError(errorText(err));
    }
  }
  return { draft, setDraft, errors, error, ok, setError, setOk, save };
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: (a: Described) => ReactNode }) {
  const errId = `${id}-err`;
  return (
    <div>
      <label><span>{label}</span>{children(error ? { 'aria-invalid': true, 'aria-describedby': errId } : {})}</label>
      {error && <span id={errId} className="error field-error">{error}</span>}
    </div>
  );
}

const setLabel = (set: boolean) => (set ? 'set' : 'not set');

function WebPushForm({ settings, creds, onSaved }: FormProps) {
  const uid = useId();
  const f = useSectionForm(['enabled', 'subject', 'maxRecipients'], [], settings, onSaved);
  const [confirmDialog, ask] = useConfirm();
  const publicKey = String(settings.vapidPublicKey ?? '');
  async function generate() {
    if (publicKey && !(await ask({ title: 'Replace the VAPID keys?', message: 'Browsers subscribed with the old public key must subscribe again.', confirmLabel: 'Replace keys' }))) return;
    f.setError(''); f.setOk('');
    try { await pb().send('/api/push/vapid-keys', { method: 'POST' }); await onSaved(); f.setOk('New VAPID keys generated.'); } catch (err) { f.setError(errorText(err)); }
  }
  return (
    <form className="panel" aria-label="Web Push" onSubmit={(e) => f.save(e, { maxRecipients: Number(f.draft.maxRecipients) })} noValidate>
      <h2 style={{ marginTop: 0 }}>Web Push</h2>
      <Notice kind="error">{f.error}</Notice>
      <Notice kind="ok">{f.ok}</Notice>
      <p className="muted">VAPID private key: <b>{setLabel(creds.vapidPrivateKey)}</b></p>
      <label><span>VAPID public key (the applicationServerKey)</span><input className="mono" readOnly value={publicKey || '(none yet)'} /></label>
      <div className="row"><button type="button" onClick={generate}>{publicKey ? 'Generate new VAPID keys' : 'Generate VAPID keys'}</button></div>
      <label className="check"><input type="checkbox" checked={!!f.draft.enabled} onChange={(e) => f.setDraft({ ...f.draft, enabled: e.target.checked })} /><span>Send Web Push</span></label>
      <div className="grid2">
        <Field id={`${uid}-subject`} label="Contact (mailto: or https: URL)" error={f.errors.subject}>
          {(a) => <input value={String(f.draft.subject)} onChange={(e) => f.setDraft({ ...f.draft, subject: e.target.value })} {...a} />}
        </Field>
        <Field id={`${uid}-max`} label="Most devices per send" error={f.errors.maxRecipients}>
          {(a) => <input type="number" min={1} max={1_000_000} value={String(f.draft.maxRecipients)} onChange={(e) => f.setDraft({ ...f.draft, maxRecipients: e.target.value })} {...a} />}
        </Field>
      </div>
      <div className="row"><button type="submit" className="primary">Save Web Push</button></div>
      {confirmDialog}
    </form>
  );
}

function FcmForm({ settings, creds, onSaved }: FormProps) {
  const uid = useId();
  const f = useSectionForm(['fcmEnabled', 'fcmServiceAccount', 'fcmEndpoint', 'fcmTokenUrl'], ['fcmServiceAccount'], settings, onSaved);
  return (
    <form className="panel" aria-label="Firebase Cloud Messaging" onSubmit={(e) => f.save(e)} noValidate>
      <h2 style={{ marginTop: 0 }}>Firebase Cloud Messaging (Android)</h2>
      <Notice kind="error">{f.error}</Notice>
      <Notice kind="ok">{f.ok}</Notice>
      <label className="check"><input type="checkbox" checked={!!f.draft.fcmEnabled} onChange={(e) => f.setDraft({ ...f.draft, fcmEnabled: e.target.checked })} /><span>Send to FCM devices</span></label>
      <Field id={`${uid}-sa`} label={`Service-account JSON (write-only, ${setLabel(creds.fcmServiceAccount)}; empty keeps it)`} error={f.errors.fcmServiceAccount}>
        {(a) => <textarea className="mono" rows={4} autoComplete="off" value={String(f.draft.fcmServiceAccount)} onChange={(e) => f.setDraft({ ...f.draft, fcmServiceAccount: e.target.value })} {...a} />}
      </Field>
      <div className="grid2">
        <Field id={`${uid}-ep`} label="FCM API base" error={f.errors.fcmEndpoint}>
          {(a) => <input value={String(f.draft.fcmEndpoint)} onChange={(e) => f.setDraft({ ...f.draft, fcmEndpoint: e.target.value })} {...a} />}
        </Field>
        <Field id={`${uid}-tu`} label="OAuth2 token URL" error={f.errors.fcmTokenUrl}>
          {(a) => <input value={String(f.draft.fcmTokenUrl)} onChange={(e) => f.setDraft({ ...f.draft, fcmTokenUrl: e.target.value })} {...a} />}
        </Field>
      </div>
      <div className="row"><button type="submit" className="primary">Save FCM</button></div>
    </form>
  );
}

function ApnsForm({ settings, creds, onSaved }: FormProps) {
  const uid = useId();
  const keys = ['apnsEnabled', 'apnsPrivateKey', 'apnsKeyId', 'apnsTeamId', 'apnsTopic', 'apnsProduction', 'apnsEndpoint'];
  const f = useSectionForm(keys, ['apnsPrivateKey'], settings, onSaved);
  const text = (key: string, label: string) => (
    <Field id={`${uid}-${key}`} label={label} error={f.errors[key]}>
      {(a) => <input value={String(f.draft[key])} onChange={(e) => f.setDraft({ ...f.draft, [key]: e.target.value })} {...a} />}
    </Field>
  );
  return (
    <form className="panel" aria-label="Apple Push Notification service" onSubmit={(e) => f.save(e)} noValidate>
      <h2 style={{ marginTop: 0 }}>APNs (iOS, macOS)</h2>
      <Notice kind="error">{f.error}</Notice>
      <Notice kind="ok">{f.ok}</Notice>
      <label className="check"><input type="checkbox" checked={!!f.draft.apnsEnabled} onChange={(e) => f.setDraft({ ...f.draft, apnsEnabled: e.target.checked })} /><span>Send to APNs devices</span></label>
      <Field id={`${uid}-p8`} label={`.p8 key (write-only, ${setLabel(creds.apnsPrivateKey)}; empty keeps it)`} error={f.errors.apnsPrivateKey}>
        {(a) => <textarea className="mono" rows={4} autoComplete="off" value={String(f.draft.apnsPrivateKey)} onChange={(e) => f.setDraft({ ...f.draft, apnsPrivateKey: e.target.value })} {...a} />}
      </Field>
      <div className="grid2">
        {text('apnsKeyId', 'Key id')}
        {text('apnsTeamId', 'Team id')}
        {text('apnsTopic', 'Topic (bundle id)')}
        {text('apnsEndpoint', 'Endpoint override (optional)')}
      </div>
      <label className="check"><input type="checkbox" checked={!!f.draft.apnsProduction} onChange={(e) => f.setDraft({ ...f.draft, apnsProduction: e.target.checked })} /><span>Production (unchecked: sandbox)</span></label>
      <div className="row"><button type="submit" className="primary">Save APNs</button></div>
    </form>
  );
}

function SendForm({ platforms, onSent }: { platforms: string[]; onSent: () => void }) {
  const uid = useId();
  const [target, setTarget] = useState<'users' | 'topic' | 'filter'>('users');
  const [v, setV] = useState({ users: '', topic: '', collection: 'users', filter: '', title: '', body: '', data: '' });
  const [dryRun, setDryRun] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  // The collections, for completion in the filter (the fields of the chosen auth collection).
  const [collections, setCollections] = useState<CollectionModel[]>([]);
  useEffect(() => { if (target === 'filter' && collections.length === 0) pb().collections.getFullList({ sort: 'name' }).then(setCollections).catch(() => {}); }, [target, collections.length]);

  async function send(e: FormEvent) {
    e.preventDefault();
    setError(''); setErrors({}); setResult('');
    const body: Record<string, unknown> = { title: v.title, body: v.body, dryRun };
    if (target === 'users') body.users = v.users.split(',').map((x) => x.trim()).filter(Boolean);
    else if (target === 'topic') body.topic = v.topic.trim();
    else { body.collection = v.collection.trim(); body.filter = v.filter; }
    if (v.data.trim()) {
      try { body.data = JSON.parse(v.data); } catch (err) {
        setErrors({ data: `Invalid JSON: ${(err as Error).message}` });
        setError('Data: invalid JSON.');
        return;
      }
    }
    try {
      const r = await pb().send<Record<string, unknown>>('/api/push/send', { method: 'POST', body });
      setResult(dryRun ? `Dry run: ${r.recipients} recipients (platforms: ${(r.platforms as string[]).join(', ') || 'none'}).` : `Queued send ${r.id} to ${r.recipients} recipients.`);
      if (!dryRun) onSent();
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(errorText(err));
    }
  }
  const input = (key: keyof typeof v, label: string) => (
    <Field id={`${uid}-${key}`} label={label} error={errors[key]}>
      {(a) => <input value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })} {...a} />}
    </Field>
  );
  return (
    <form className="panel" aria-label="Send a notification" onSubmit={send} noValidate>
      <h2 style={{ marginTop: 0 }}>Send a notification</h2>
      <p className="muted">Platforms ready: {platforms.join(', ') || 'none (configure one above)'}</p>
      <Notice kind="error">{error}</Notice>
      {result && <div className="notice ok" role="status">{result}</div>}
      <label><span>To</span>
        <select value={target} onChange={(e) => setTarget(e.target.value as typeof target)}>
          <option value="users">User ids</option><option value="topic">A topic</option><option value="filter">Users matching a filter</option>
        </select>
      </label>
      <div className="grid2">
        {target === 'users' && input('users', 'User ids (comma-separated)')}
        {target === 'topic' && input('topic', 'Topic')}
        {target === 'filter' && input('collection', 'Auth collection')}
        {target === 'filter' && (
          <RuleInput label="Filter (e.g. verified = true)" value={v.filter} nullable={false} required placeholder="the users to send to"
            words={filterWordsOf(collections.find((c) => c.name === v.collection.trim()) ?? null, collections)}
            serverError={errors.filter} onChange={(x) => setV({ ...v, filter: x ?? '' })} />
        )}
        {input('title', 'Title')}
        {input('body', 'Body')}
      </div>
      <Field id={`${uid}-data`} label="Data (JSON object, optional)" error={errors.data}>
        {(a) => <textarea className="mono" rows={3} value={v.data} onChange={(e) => setV({ ...v, data: e.target.value })} {...a} />}
      </Field>
      <label className="check"><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /><span>Dry run (count the recipients, send nothing)</span></label>
      <div className="row"><button type="submit" className="primary">{dryRun ? 'Count recipients' : 'Send'}</button></div>
    </form>
  );
}
