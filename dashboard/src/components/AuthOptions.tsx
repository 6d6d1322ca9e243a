// The options of an auth collection (the collections API's auth keys, docs/auth.md): sign-in methods (password with
// its identity fields, OTP, MFA), token lifetimes, new-login alerts and the email templates with a preview and a
// "send a test email" button. OAuth2 providers are under Settings → OAuth2.
import { useId, useState } from 'react';
import { pb, errorText } from '../lib/session';
import type { FieldSchema } from '../lib/fieldTypes';
import type { CompletionWord } from '../lib/filterCompletion';
import { RuleInput } from './RuleInput';

export type AuthDraft = Record<string, Record<string, unknown>>;

/** The keys of a collection this editor owns (sent back on save). */
export const AUTH_KEYS = ['passwordAuth', 'otp', 'mfa', 'authAlert', 'authToken', 'passwordResetToken', 'emailChangeToken', 'verificationToken', 'fileToken',
  'verificationTemplate', 'resetPasswordTemplate', 'confirmEmailChangeTemplate'] as const;

const TOKENS: [string, string, string][] = [
  ['authToken', 'Sign-in token', 'How long a sign-in stays valid (auth-refresh renews it).'],
  ['verificationToken', 'Email verification link', ''],
  ['passwordResetToken', 'Password reset link', ''],
  ['emailChangeToken', 'Email change link', ''],
  ['fileToken', 'Protected file token', 'Short-lived token in the URL of protected files.'],
];

/** [template kind for test/email, label, where the template is in the collection]. */
const TEMPLATES: [string, string, (d: AuthDraft) => Record<string, unknown> | undefined, (d: AuthDraft, t: Record<string, unknown>) => AuthDraft][] = [
  ['verification', 'Verification', (d) => d.verificationTemplate, (d, t) => ({ ...d, verificationTemplate: t })],
  ['password-reset', 'Password reset', (d) => d.resetPasswordTemplate, (d, t) => ({ ...d, resetPasswordTemplate: t })],
  ['email-change', 'Email change', (d) => d.confirmEmailChangeTemplate, (d, t) => ({ ...d, confirmEmailChangeTemplate: t })],
  ['otp', 'One-time password', (d) => d.otp?.emailTemplate as Record<string, unknown> | undefined, (d, t) => ({ ...d, otp: { ...d.otp, emailTemplate: t } })],
  ['login-alert', 'New sign-in alert', (d) => d.authAlert?.emailTemplate as Record<string, unknown> | undefined, (d, t) => ({ ...d, authAlert: { ...d.authAlert, emailTemplate: t } })],
];

export function AuthOptions({ value, onChange, fields, collection, errors, ruleWords, readOnly = false }: {
  value: AuthDraft; onChange: (v: AuthDraft) => void; fields: FieldSchema[]; collection: string | null; errors: Record<string, string>;
  /** Completion in the MFA rule (the collection editor's rule words). */
  ruleWords: CompletionWord[]; readOnly?: boolean;
}) {
  const uid = useId();
  const set = (key: string, patch: Record<string, unknown>) => onChange({ ...value, [key]: { ...value[key], ...patch } });
  const err = (key: string) => errors[key];
  const num = (key: string, sub: string, label: string, hint = '') => {
    const id = `${uid}-${key}-${sub}`;
    const e = err(`${key}.${sub}`);
    return (
      <div>
        <label><span>{label}</span>
          <input type="number" min={0} step={1} value={String(value[key]?.[sub] ?? '')}
            onChange={(ev) => set(key, { [sub]: ev.target.value === '' ? 0 : Number(ev.target.value) })}
            aria-invalid={e ? true : undefined} aria-describedby={e ? `${id}-err` : hint ? `${id}-hint` : undefined} />
        </label>
        {hint && !e && <div id={`${id}-hint`} className="muted hint">{hint}</div>}
        {e && <div id={`${id}-err`} className="error field-error">{e}</div>}
      </div>
    );
  };
  const check = (key: string, sub: string, label: string) => (
    <label className="check"><input type="checkbox" checked={!!value[key]?.[sub]} onChange={(ev) => set(key, { [sub]: ev.target.checked })} /><span>{label}</span></label>
  );
  const identity = (value.passwordAuth?.identityFields as string[] | undefined) ?? [];
  const uniqueCandidates = fields.filter((f) => ['text', 'email', 'url', 'number'].includes(f.type) && f.name !== 'id' && f.name !== 'password').map((f) => f.name);

  return (
    <div className="panel">
      <h2 style={{ marginTop: 0 }}>Auth options</h2>
      <p className="muted" style={{ marginTop: 0 }}>How users of this collection sign in. OAuth2 providers are set under <a href="#/settings">Settings → OAuth2</a>.</p>

      <fieldset className="opt-group">
        <legend>Password</legend>
        {check('passwordAuth', 'enabled', 'Sign in with identity and password')}
        <fieldset className="check-list inline-list">
          <legend className="muted">Identity fields (each needs a unique index)</legend>
          {uniqueCandidates.map((n) => (
            <label key={n} className="check"><input type="checkbox" checked={identity.includes(n)}
              onChange={(ev) => set('passwordAuth', { identityFields: ev.target.checked ? [...identity, n] : identity.filter((x) => x !== n) })} /><span>{n}</span></label>
          ))}
        </fieldset>
        {err('passwordAuth.identityFields') && <div className="error">{err('passwordAuth.identityFields')}</div>}
      </fieldset>

      <fieldset className="opt-group">
        <legend>One-time password (OTP) by email</legend>
        {check('otp', 'enabled', 'Sign in with a code sent by email')}
        <div className="grid2">
          {num('otp', 'duration', 'Code lifetime (seconds)')}
          {num('otp', 'length', 'Code length (digits)')}
        </div>
      </fieldset>

      <fieldset className="opt-group">
        <legend>Multi-factor authentication (MFA)</legend>
        {check('mfa', 'enabled', 'Require a second method after the first sign-in')}
        <div className="grid2">
          {num('mfa', 'duration', 'Time to finish the second step (seconds)')}
          <RuleInput label="Only when (rule; empty = always)" value={String(value.mfa?.rule ?? '')} nullable={false} words={ruleWords} readOnly={readOnly}
            serverError={err('mfa.rule')} placeholder="e.g. role = 'admin'" onChange={(v) => set('mfa', { rule: v ?? '' })} />
        </div>
      </fieldset>

      <fieldset className="opt-group">
        <legend>Token lifetimes (seconds)</legend>
        <div className="grid2">
          {TOKENS.map(([key, label, hint]) => <div key={key}>{num(key, 'duration', label, hint)}</div>)}
        </div>
      </fieldset>

      <fieldset className="opt-group">
        <legend>New sign-in alerts</legend>
        {check('authAlert', 'enabled', 'Email users when they sign in from a new device')}
      </fieldset>

      <EmailTemplates value={value} onChange={onChange} collection={collection} />
    </div>
  );
}

function EmailTemplates({ value, onChange, collection }: { value: AuthDraft; onChange: (v: AuthDraft) => void; collection: string | null }) {
  const [kind, setKind] = useState(TEMPLATES[0][0]);
  const [to, setTo] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  // The frame is made only when asked for (a sandboxed frame per keystroke is not free).
  const [preview, setPreview] = useState(false);
  const [, label, get, put] = TEMPLATES.find((t) => t[0] === kind)!;
  const t = get(value) ?? {};
  const subject = String(t.subject ?? '');
  const body = String(t.body ?? '');

  async function sendTest() {
    setMsg(null);
    try {
      await pb().settings.testEmail(collection!, to, kind);
      setMsg({ ok: true, text: `Test email "${label}" sent to ${to}.` });
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  }

  return (
    <fieldset className="opt-group">
      <legend>Email templates</legend>
      <label><span>Template</span>
        <select value={kind} onChange={(e) => { setKind(e.target.value); setMsg(null); }}>{TEMPLATES.map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select>
      </label>
      <p className="muted hint">Placeholders: {'{APP_NAME} {APP_URL} {TOKEN} {OTP} {OTP_ID} {ALERT_INFO} {RECORD:field}'}</p>
      <label><span>Subject</span><input value={subject} onChange={(e) => onChange(put(value, { ...t, subject: e.target.value }))} /></label>
      <label><span>Body (HTML)</span><textarea rows={8} value={body} onChange={(e) => onChange(put(value, { ...t, body: e.target.value }))} /></label>
      <details className="preview" onToggle={(e) => setPreview((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Preview with sample values</summary>
        {preview && <TemplatePreview subject={subject} body={body} />}
      </details>
      <div className="row" style={{ marginTop: 8 }}>
        <input className="grow" type="email" aria-label="Test email recipient" placeholder="you@example.com" value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="button" onClick={sendTest} disabled={!to || !collection}>Send test email</button>
      </div>
      {!collection && <p className="muted hint">Save the collection first to send a test email.</p>}
      {msg && <div className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</div>}
    </fieldset>
  );
}

const SAMPLE: Record<string, string> = { APP_NAME: 'Acme', APP_URL: 'https://acme.test', TOKEN: 'eyJhbGciOi…sample', OTP: '12345678', OTP_ID: 'otp_sample_id', ALERT_INFO: 'Chrome on Linux, 203.0.113.7' };

/**
 * The template with sample values, shown in a sandboxed frame (no scripts, no same-origin access): an email's HTML
 * never runs inside the dashboard.
 */
function TemplatePreview({ subject, body }: { subject: string; body: string }) {
  const fill = (s: string) => s.replace(/\{([A-Z_]+)\}/g, (m, k: string) => SAMPLE[k] ?? m).replace(/\{RECORD:(\w+)\}/g, (_m, f: string) => (f === 'email' ? 'jane@example.com' : f === 'name' ? 'Jane' : `[${f}]`));
  return (
    <div className="mail-preview">
      <div><span className="muted">Subject:</span> <span data-testid="preview-subject">{fill(subject)}</span></div>
      <iframe title="Email preview" sandbox="" srcDoc={fill(body)} />
    </div>
  );
}
