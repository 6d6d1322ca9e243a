import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { pb, errorText, fieldErrors } from '../lib/session';
import { Notice, useFocusFirstError } from '../components/ui';
import { OAuth2Settings } from '../components/OAuth2Settings';
import { settingsChanged } from '../lib/uiSettings';

type Settings = Record<string, Record<string, unknown>>;
type Draft = Record<string, string | boolean>;
type Input = {
  key: string; label: string; kind: 'text' | 'number' | 'bool' | 'password' | 'list' | 'json' | 'select';
  /** kind 'select': [value, label] pairs. */
  options?: [string, string][];
  /** Required while the section is enabled (its `enabled` box checked). */
  requiredWhenEnabled?: boolean;
  /** Whole numbers in this range (checked before sending; the server checks again). */
  range?: [number, number];
};

const SECTIONS: { id: string; title: string; inputs: Input[]; note?: string }[] = [
  { id: 'meta', title: 'Application', inputs: [
    { key: 'appName', label: 'App name', kind: 'text' }, { key: 'appURL', label: 'App URL', kind: 'text' },
    { key: 'senderName', label: 'Sender name', kind: 'text' }, { key: 'senderAddress', label: 'Sender address', kind: 'text' },
    { key: 'hideControls', label: 'Hide collection create and edit controls (the schema is read-only here)', kind: 'bool' },
  ] },
  { id: 'smtp', title: 'Mail (SMTP)', inputs: [
    { key: 'enabled', label: 'Send mail', kind: 'bool' }, { key: 'host', label: 'Host', kind: 'text', requiredWhenEnabled: true },
    { key: 'port', label: 'Port', kind: 'number', requiredWhenEnabled: true, range: [1, 65535] },
    { key: 'username', label: 'Username', kind: 'text' }, { key: 'password', label: 'Password (write-only; empty keeps it)', kind: 'password' },
    { key: 'authMethod', label: 'AUTH method (empty = any)', kind: 'text' }, { key: 'tls', label: 'Implicit TLS', kind: 'bool' },
    { key: 'localName', label: 'EHLO name', kind: 'text' },
  ] },
  { id: 'rateLimits', title: 'Rate limits', note: 'Rules: [{"label": "*:auth", "audience": "", "duration": 60, "maxRequests": 10}, ...]', inputs: [
    { key: 'enabled', label: 'Enabled', kind: 'bool' }, { key: 'excludedIPs', label: 'Excluded IPs / CIDR ranges', kind: 'list' },
    { key: 'rules', label: 'Rules (JSON)', kind: 'json' },
  ] },
  { id: 'batch', title: 'Batch API', inputs: [
    { key: 'enabled', label: 'Enabled', kind: 'bool' }, { key: 'maxRequests', label: 'Max requests per batch', kind: 'number', range: [0, 1_000_000] },
    { key: 'timeout', label: 'Timeout (s)', kind: 'number', range: [0, 86_400] }, { key: 'maxBodySize', label: 'Max body size (bytes, 0 = default)', kind: 'number', range: [0, Number.MAX_SAFE_INTEGER] },
  ] },
  { id: 's3', title: 'File storage (S3)', inputs: [
    { key: 'enabled', label: 'Use S3', kind: 'bool' }, { key: 'bucket', label: 'Bucket', kind: 'text', requiredWhenEnabled: true },
    { key: 'region', label: 'Region', kind: 'text', requiredWhenEnabled: true },
    { key: 'endpoint', label: 'Endpoint', kind: 'text', requiredWhenEnabled: true }, { key: 'accessKey', label: 'Access key', kind: 'text', requiredWhenEnabled: true },
    { key: 'secret', label: 'Secret (write-only; empty keeps it)', kind: 'password' }, { key: 'forcePathStyle', label: 'Path-style URLs', kind: 'bool' },
  ] },
  { id: 'logs', title: 'Logs', inputs: [{ key: 'maxDays', label: 'Keep request logs (days, 0 = none kept)', kind: 'number', range: [0, 36_500] }, { key: 'logIP', label: 'Log client IPs', kind: 'bool' },
    { key: 'minLevel', label: 'Minimum level (-4 debug, 0 info, 4 warning, 8 error)', kind: 'number', range: [-100, 100] }, { key: 'logAuthId', label: 'Log the caller\'s auth id', kind: 'bool' }] },
  { id: 'trustedProxy', title: 'Trusted proxy', note: 'Only when the server is behind a proxy you run: the client IP (rate limits, logs) is then read from these headers.', inputs: [
    { key: 'headers', label: 'Client IP headers (e.g. X-Forwarded-For, X-Real-IP)', kind: 'list' }, { key: 'useLeftmostIP', label: 'Use the leftmost IP of the header', kind: 'bool' },
  ] },
  { id: 'graphql', title: 'GraphQL', inputs: [
    { key: 'introspection', label: 'Schema introspection', kind: 'select', options: [['superusers', 'Superusers only'], ['all', 'Everyone'], ['none', 'Nobody']] },
  ] },
];

export function SettingsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { pb().settings.getAll().then((s) => setSettings(s as Settings)).catch((e) => setError(errorText(e))); }, []);
  return (
    <div>
      <h1>Settings</h1>
      <Notice kind="error">{error}</Notice>
      {settings && SECTIONS.map((s) => (
        <Section key={s.id} id={s.id} title={s.title} note={s.note} inputs={s.inputs} value={settings[s.id] ?? {}}
          extra={s.id === 'smtp' ? <TestMail /> : null} onSaved={(v) => setSettings(v)} />
      ))}
      <OAuth2Settings />
    </div>
  );
}

function Section({ id, title, note, inputs, value, extra, onSaved }: {
  id: string; title: string; note?: string; inputs: Input[]; value: Record<string, unknown>; extra: ReactNode; onSaved: (s: Settings) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(inputs, value));
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [ok, setOk] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const uid = useId();
  useFocusFirstError(form, error);
  const enabled = !!draft.enabled;

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(''); setErrors({}); setOk('');
    const bad = validate(inputs, draft);
    if (Object.keys(bad).length) {
      setErrors(bad);
      setError(`Not saved: ${Object.keys(bad).length === 1 ? 'one field needs' : 'some fields need'} fixing.`);
      return;
    }
    const out: Record<string, unknown> = {};
    for (const i of inputs) {
      const v = draft[i.key];
      if (i.kind === 'bool') out[i.key] = !!v;
      else if (i.kind === 'number') out[i.key] = v === '' ? 0 : Number(v);
      else if (i.kind === 'list') out[i.key] = String(v).split(',').map((x) => x.trim()).filter(Boolean);
      else if (i.kind === 'password') { if (v) out[i.key] = v; }
      else if (i.kind === 'json') {
        try { out[i.key] = JSON.parse(String(v)); } catch (err) {
          setErrors({ [i.key]: `Invalid JSON: ${(err as Error).message}` });
          setError(`${i.label}: invalid JSON.`);
          return;
        }
      } else out[i.key] = v;
    }
    try {
      const s = (await pb().settings.update({ [id]: out })) as Settings;
      onSaved(s);
      setDraft(toDraft(inputs, s[id] ?? {}));
      setOk('Saved.');
      settingsChanged();
    } catch (err) {
      // The server's field errors are keyed "<section>.<field>[.<index>.<key>]"; each goes under its input.
      const per: Record<string, string> = {};
      for (const [k, v] of Object.entries(fieldErrors(err))) {
        const rest = k.startsWith(`${id}.`) ? k.slice(id.length + 1) : k;
        const [key, ...path] = rest.split('.');
        const input = inputs.some((i) => i.key === key) ? key : '';
        const text = path.length ? `${path.join('.')}: ${v}` : v;
        per[input] = per[input] ? `${per[input]}; ${text}` : text;
      }
      setErrors(per);
      setError(errorText(err));
    }
  }

  const errId = (key: string) => `${uid}-${key}-err`;
  const invalid = (key: string) => (errors[key] ? { 'aria-invalid': true as const, 'aria-describedby': errId(key) } : {});
  const message = (key: string) => errors[key] && <span id={errId(key)} className="error field-error" style={{ marginTop: -8, marginBottom: 10 }}>{errors[key]}</span>;
  return (
    <form className="panel" onSubmit={save} aria-label={title} ref={form} noValidate>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      {note && <p className="muted mono" style={{ marginTop: 0 }}>{note}</p>}
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <div className="grid2">
        {inputs.map((i) => i.kind === 'bool' ? (
          <label key={i.key} className="check"><input type="checkbox" checked={!!draft[i.key]} onChange={(e) => setDraft({ ...draft, [i.key]: e.target.checked })} /><span>{i.label}</span></label>
        ) : i.kind === 'select' ? (
          <label key={i.key}><span>{i.label}</span>
            <select value={String(draft[i.key])} onChange={(e) => setDraft({ ...draft, [i.key]: e.target.value })} {...invalid(i.key)}>
              {(i.options ?? []).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </label>
        ) : i.kind === 'json' ? (
          <div key={i.key} style={{ gridColumn: '1 / -1' }}>
            <label><span>{i.label}</span><textarea value={String(draft[i.key])} rows={8} onChange={(e) => setDraft({ ...draft, [i.key]: e.target.value })} {...invalid(i.key)} /></label>
            {message(i.key)}
          </div>
        ) : (
          <div key={i.key}>
            <label><span>{i.label}{i.requiredWhenEnabled && enabled ? ' (required)' : ''}</span>
              <input type={i.kind === 'password' ? 'password' : i.kind === 'number' ? 'number' : 'text'} autoComplete="off" value={String(draft[i.key])}
                required={!!i.requiredWhenEnabled && enabled} min={i.range?.[0]} max={i.range?.[1]} step={i.kind === 'number' ? 1 : undefined}
                onChange={(e) => setDraft({ ...draft, [i.key]: e.target.value })} {...invalid(i.key)} />
            </label>
            {message(i.key)}
          </div>
        ))}
      </div>
      {errors[''] && <p className="error">{errors['']}</p>}
      <div className="row"><button type="submit" className="primary">Save {title.toLowerCase()}</button></div>
      {extra}
    </form>
  );
}

/** What the form refuses before sending: required fields of an enabled section, numbers out of range. */
function validate(inputs: Input[], draft: Draft): Record<string, string> {
  const bad: Record<string, string> = {};
  const enabled = !!draft.enabled;
  for (const i of inputs) {
    const v = String(draft[i.key] ?? '').trim();
    if (i.requiredWhenEnabled && enabled && v === '') { bad[i.key] = `Required while "${inputs.find((x) => x.key === 'enabled')?.label}" is on.`; continue; }
    if (i.requiredWhenEnabled && !enabled) continue;
    if (i.kind === 'number' && v !== '' && i.range) {
      const [lo, hi] = i.range;
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo || n > hi) bad[i.key] = hi >= Number.MAX_SAFE_INTEGER ? `Must be a whole number, ${lo} or more.` : `Must be a whole number from ${lo} to ${hi}.`;
    }
  }
  return bad;
}

function toDraft(inputs: Input[], value: Record<string, unknown>): Record<string, string | boolean> {
  const d: Record<string, string | boolean> = {};
  for (const i of inputs) {
    const v = value[i.key];
    if (i.kind === 'bool') d[i.key] = !!v;
    else if (i.kind === 'list') d[i.key] = Array.isArray(v) ? v.join(', ') : '';
    else if (i.kind === 'json') d[i.key] = JSON.stringify(v ?? [], null, 2);
    else if (i.kind === 'password') d[i.key] = '';
    else d[i.key] = v === undefined || v === null ? '' : String(v);
  }
  return d;
}

function TestMail() {
  const [email, setEmail] = useState('');
  const [template, setTemplate] = useState('verification');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  async function send() {
    setMsg(null);
    try {
      await pb().settings.testEmail('_superusers', email, template);
      setMsg({ ok: true, text: `Test mail sent to ${email}.` });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  }
  return (
    <div style={{ marginTop: 12 }}>
      <h2>Send a test mail</h2>
      <div className="row">
        <input className="grow" type="email" aria-label="Test mail recipient" placeholder="you@example.com" value={email} onChange={(e) => setEmail(e.target.value)} />
        <select aria-label="Test mail template" value={template} onChange={(e) => setTemplate(e.target.value)} style={{ width: 170 }}>
          {['verification', 'password-reset', 'email-change', 'otp', 'login-alert'].map((t) => <option key={t}>{t}</option>)}
        </select>
        <button type="button" onClick={send} disabled={!email}>Send test mail</button>
      </div>
      {msg && <div className={msg.ok ? 'ok' : 'error'} role="status">{msg.text}</div>}
    </div>
  );
}
