import { useState, type FormEvent } from 'react';
import { errorText, fieldErrors, pb, switchProject } from '../lib/session';
import { navigate } from '../lib/router';
import { Notice } from '../components/ui';

/** First run: `serve` prints a one-time link #/setup/<token>; the form creates the first superuser of main. */
export function Setup({ token }: { token: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(''); setErrors({});
    try {
      switchProject('main');
      const res = await pb().send<{ token: string; record: Record<string, unknown> }>('/api/setup', {
        method: 'POST',
        body: { token, email: email.trim(), password, passwordConfirm: confirm },
      });
      pb().authStore.save(res.token, res.record as never);
      navigate('collections');
    } catch (err) {
      setError(errorText(err));
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="First-run setup">
      <h1>Welcome to PaperGao</h1>
      <p className="muted">Create the first superuser of this server.</p>
      <Notice kind="error">{error}</Notice>
      <label><span>Email</span>
        <input type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        {errors.email && <span className="error">{errors.email}</span>}
      </label>
      <label><span>Password</span>
        <input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {errors.password && <span className="error">{errors.password}</span>}
      </label>
      <label><span>Confirm password</span>
        <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        {errors.passwordConfirm && <span className="error">{errors.passwordConfirm}</span>}
      </label>
      <button className="primary" type="submit" disabled={busy}>Create superuser</button>
    </form>
  );
}
