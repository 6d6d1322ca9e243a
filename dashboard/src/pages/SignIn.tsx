import { useRef, useState, type FormEvent } from 'react';
import { errorText, signIn } from '../lib/session';
import { Notice, useFocusFirstError } from '../components/ui';

/** The superuser sign-in form (a page, or an overlay over the page when the session expired). */
export function SignIn({ project, expired, email: lastEmail = '' }: { project: string; expired: boolean; email?: string }) {
  const [email, setEmail] = useState(lastEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Sign in" ref={form}>
      <h1>PaperGao</h1>
      <p className="muted">
        {expired ? 'Your session expired. Sign in again to continue where you were' : 'Sign in as a superuser'}
        {project !== 'main' && <> of project <b>{project}</b></>}.
      </p>
      <Notice kind="error">{error}</Notice>
      <label><span>Email</span>
        <input type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label><span>Password</span>
        <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button className="primary" type="submit" disabled={busy}>Sign in</button>
    </form>
  );
}
