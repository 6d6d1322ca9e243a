import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { pb, errorText, fieldErrors } from '../lib/session';
import { Notice, useConfirm, useFocusFirstError } from './ui';

type LimitKey = 'timeoutSeconds' | 'cronTimeoutSeconds' | 'maxStatements' | 'memoryMb' | 'maxRecursion' | 'regexTimeoutMs' | 'poolSize';
type Limits = Record<LimitKey, number>;
/** GET/PATCH /api/functions/settings (docs/functions.md, "Limits" and "Secrets"): secret names only, never values. */
type FunctionSettingsData = { secrets: string[]; allowHosts: string[]; limits: Partial<Limits>; effectiveLimits: Limits; serverLimits: Limits };

const LIMITS: { key: LimitKey; label: string }[] = [
  { key: 'timeoutSeconds', label: 'Request call time (seconds)' },
  { key: 'cronTimeoutSeconds', label: 'Cron run time (seconds)' },
  { key: 'maxStatements', label: 'Statements per call' },
  { key: 'memoryMb', label: 'Memory per call (MiB)' },
  { key: 'maxRecursion', label: 'Call depth' },
  { key: 'regexTimeoutMs', label: 'Regular expression time (ms)' },
  { key: 'poolSize', label: 'Engines (calls running at once)' },
];

/**
 * The Functions screen's settings: the project's limits (each at most the server's value, which is the ceiling; empty
 * means the server's value) and the write-only secrets functions read with $os.getenv (names listed, values never
 * shown again after saving).
 */
export function FunctionSettings() {
  const [settings, setSettings] = useState<FunctionSettingsData | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      setSettings(await pb().send<FunctionSettingsData>('/api/functions/settings', {}));
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  return (
    <>
      <Notice kind="error">{error}</Notice>
      {settings && <LimitsForm settings={settings} onSaved={setSettings} />}
      {settings && <SecretsForm names={settings.secrets} onSaved={setSettings} />}
    </>
  );
}

function LimitsForm({ settings, onSaved }: { settings: FunctionSettingsData; onSaved: (s: FunctionSettingsData) => void }) {
  const toDraft = (s: FunctionSettingsData) => Object.fromEntries(LIMITS.map(({ key }) => [key, s.limits[key] === undefined ? '' : String(s.limits[key])])) as Record<LimitKey, string>;
  const [draft, setDraft] = useState(() => toDraft(settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const uid = useId();
  useFocusFirstError(form, error);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(''); setErrors({}); setOk('');
    const limits: Record<string, number | null> = {};
    const bad: Record<string, string> = {};
    for (const { key } of LIMITS) {
      const v = draft[key].trim();
      if (v === '') limits[key] = null;
      else if (Number.isFinite(Number(v))) limits[key] = Number(v);
      else bad[key] = 'Must be a number (or empty for the server\'s value).';
    }
    if (Object.keys(bad).length) {
      setErrors(bad);
      setError('Not saved: a limit needs fixing.');
      return;
    }
    setBusy(true);
    try {
      const s = await pb().send<FunctionSettingsData>('/api/functions/settings', { method: 'PATCH', body: { limits } });
      onSaved(s);
      setDraft(toDraft(s));
      setOk('Limits saved.');
    } catch (err) {
      // The server's field errors are keyed "limits.<name>"; each goes under its input.
      const per: Record<string, string> = {};
      for (const [k, v] of Object.entries(fieldErrors(err))) per[k.startsWith('limits.') ? k.slice('limits.'.length) : ''] = v;
      setErrors(per);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const errId = (key: string) => `${uid}-${key}-err`;
  const helpId = (key: string) => `${uid}-${key}-help`;
  return (
    <form className="panel" onSubmit={save} aria-label="Limits" ref={form} noValidate>
      <h2 style={{ marginTop: 0, fontSize: 16 }}>Limits</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Every call of this project&apos;s functions runs under these limits. The server&apos;s values are the ceilings: a project can
        lower them, not raise them. Leave a field empty to use the server&apos;s value.
      </p>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <div className="grid2">
        {LIMITS.map(({ key, label }) => (
          <div key={key}>
            <label><span>{label}</span>
              <input type="number" inputMode="decimal" autoComplete="off" value={draft[key]} placeholder={String(settings.serverLimits[key])}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                aria-invalid={errors[key] ? true : undefined} aria-describedby={errors[key] ? `${errId(key)} ${helpId(key)}` : helpId(key)} />
            </label>
            <span id={helpId(key)} className="muted" style={{ display: 'block', marginTop: -8, marginBottom: 10, fontSize: 12 }}>
              In force: {settings.effectiveLimits[key]} · server: {settings.serverLimits[key]}
            </span>
            {errors[key] && <span id={errId(key)} className="error field-error" style={{ marginTop: -8, marginBottom: 10 }}>{errors[key]}</span>}
          </div>
        ))}
      </div>
      {errors[''] && <p className="error">{errors['']}</p>}
      <div className="row"><button type="submit" className="primary" disabled={busy}>Save limits</button></div>
    </form>
  );
}

function SecretsForm({ names, onSaved }: { names: string[]; onSaved: (s: FunctionSettingsData) => void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirm, ask] = useConfirm();
  const form = useRef<HTMLFormElement>(null);
  const uid = useId();
  useFocusFirstError(form, error);

  async function patch(secrets: Record<string, string | null>, done: string) {
    setBusy(true); setError(''); setErrors({}); setOk('');
    try {
      const s = await pb().send<FunctionSettingsData>('/api/functions/settings', { method: 'PATCH', body: { secrets } });
      onSaved(s);
      setOk(done);
      return true;
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields.secrets ? { name: fields.secrets } : {});
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setErrors({ name: 'A name is required.' });
      setError('Not saved: the secret needs a name.');
      return;
    }
    // The value is never shown again: the inputs are cleared once the server has it.
    if (await patch({ [n]: value }, `Secret ${n} saved.`)) { setName(''); setValue(''); }
  }

  async function remove(n: string) {
    if (!(await ask({ title: `Remove the secret ${n}?`, message: <p style={{ marginTop: 0 }}>$os.getenv(&quot;{n}&quot;) returns &quot;&quot; from then on.</p>, confirmLabel: 'Remove' }))) return;
    await patch({ [n]: null }, `Secret ${n} removed.`);
  }

  const nameErr = `${uid}-name-err`;
  return (
    <section className="panel" aria-label="Secrets">
      {confirm}
      <h2 style={{ marginTop: 0, fontSize: 16 }}>Secrets</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Values functions read with <code>$os.getenv(&quot;NAME&quot;)</code>. They are write-only: once saved, a value is never shown
        again; saving a name again replaces its value.
      </p>
      <Notice kind="ok">{ok}</Notice>
      {names.length === 0 ? <p className="muted">No secrets.</p> : (
        <ul className="plain-list" aria-label="Secret names">
          {names.map((n) => (
            <li key={n} className="row">
              <code className="grow">{n}</code>
              <button type="button" disabled={busy} aria-label={`Remove secret ${n}`} onClick={() => void remove(n)}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} aria-label="Set a secret" ref={form} noValidate>
        <Notice kind="error">{error}</Notice>
        <div className="grid2">
          <div>
            <label><span>Name</span>
              <input value={name} autoComplete="off" placeholder="STRIPE_KEY" onChange={(e) => setName(e.target.value)}
                aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? nameErr : undefined} />
            </label>
            {errors.name && <span id={nameErr} className="error field-error" style={{ marginTop: -8, marginBottom: 10 }}>{errors.name}</span>}
          </div>
          <label><span>Value (write-only)</span>
            <input type="password" value={value} autoComplete="new-password" onChange={(e) => setValue(e.target.value)} />
          </label>
        </div>
        <div className="row"><button type="submit" className="primary" disabled={busy}>Save secret</button></div>
      </form>
    </section>
  );
}
