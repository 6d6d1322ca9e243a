import { useState } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { Modal } from './ui';

/** Actions on a user of an auth collection: mark verified, send a password reset, impersonate. */
export function UserActions({ collection, record, onChanged, onMessage }: {
  collection: CollectionModel; record: RecordModel; onChanged: () => void; onMessage: (m: string, isError: boolean) => void;
}) {
  const [token, setToken] = useState('');
  const svc = () => pb().collection(collection.name);

  async function run(what: () => Promise<string>) {
    try { onMessage(await what(), false); } catch (e) { onMessage(errorText(e), true); }
  }

  // The server answers 204 whether or not a mail goes out (it never tells who exists), so say what is known:
  // the request was accepted, and whether mail is on at all.
  async function resetPassword() {
    try {
      const [settings] = await Promise.all([pb().settings.getAll(), svc().requestPasswordReset(String(record.email))]);
      const smtp = (settings.smtp ?? {}) as { enabled?: boolean; host?: string };
      if (!smtp.enabled) onMessage(`No mail was sent to ${record.email}: mail (SMTP) is off in Settings. The server accepted the password reset request (204) but cannot send it.`, true);
      else onMessage(`Password reset requested for ${record.email}: the server accepted it (204) and sends the mail through ${smtp.host} in the background; the server log says if sending fails.`, false);
    } catch (e) {
      onMessage(errorText(e), true);
    }
  }

  return (
    <span className="row" style={{ flexWrap: 'nowrap' }}>
      {!record.verified && <button type="button" onClick={() => run(async () => { await svc().update(record.id, { verified: true }); onChanged(); return `${record.email} is verified.`; })}>Verify</button>}
      <button type="button" onClick={() => resetPassword()}>Reset password</button>
      {collection.name !== '_superusers' && (
        <button type="button" onClick={() => run(async () => { const client = await svc().impersonate(record.id, 3600); setToken(client.authStore.token); return `Impersonating ${record.email}.`; })}>Impersonate</button>
      )}
      {token && (
        <Modal title={`Token of ${record.email}`} onClose={() => setToken('')}>
          <p>A one-hour auth token of this user (not refreshable). Use it as the Authorization header:</p>
          <textarea readOnly className="mono" value={token} aria-label="Impersonation token" onFocus={(e) => e.target.select()} />
          <div className="row"><button type="button" onClick={() => setToken('')}>Close</button></div>
        </Modal>
      )}
    </span>
  );
}
