import { useState, type FormEvent } from 'react';
import PocketBase from 'pocketbase';
import { errorText, projectBase } from '../lib/session';
import { Notice } from '../components/ui';

type Kind = 'confirm-verification' | 'confirm-password-reset' | 'confirm-email-change';

/** The collection of a verification/reset/email-change token (its `collectionId` claim); the server checks the token. */
function collectionOf(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.collectionId === 'string' ? payload.collectionId : '';
  } catch {
    return '';
  }
}

/** The pages the auth emails link to ({APP_URL}/_/#/auth/<kind>/<token>): they call the public confirm endpoints. */
export function AuthConfirm({ kind, token }: { kind: string; token: string }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const collection = collectionOf(token);
  const titles: Record<Kind, string> = {
    'confirm-verification': 'Confirm your email',
    'confirm-password-reset': 'Choose a new password',
    'confirm-email-change': 'Confirm your new email',
  };
  if (!(kind in titles) || !collection) {
    return <div className="card"><h1>Invalid link</h1><p>This link is malformed or incomplete.</p></div>;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    const body: Record<string, string> = { token };
    if (kind === 'confirm-password-reset') { body.password = password; body.passwordConfirm = confirm; }
    if (kind === 'confirm-email-change') body.password = password;
    try {
      // Email links belong to the main project's URL; the page works without any dashboard session.
      await new PocketBase(projectBase('main')).send(`/api/collections/${encodeURIComponent(collection)}/${kind}`, { method: 'POST', body });
      setDone(kind === 'confirm-password-reset' ? 'Your password was changed. You can sign in with it now.'
        : kind === 'confirm-email-change' ? 'Your email address was changed.' : 'Your email address is verified.');
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label={titles[kind as Kind]}>
      <h1>{titles[kind as Kind]}</h1>
      <Notice kind="error">{error}</Notice>
      {done ? <Notice kind="ok">{done}</Notice> : (
        <>
          {kind !== 'confirm-verification' && (
            <label><span>{kind === 'confirm-email-change' ? 'Your password' : 'New password'}</span>
              <input type="password" required autoFocus autoComplete={kind === 'confirm-email-change' ? 'current-password' : 'new-password'} value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          )}
          {kind === 'confirm-password-reset' && (
            <label><span>Confirm new password</span>
              <input type="password" required autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </label>
          )}
          <button type="submit" className="primary">Confirm</button>
        </>
      )}
    </form>
  );
}
