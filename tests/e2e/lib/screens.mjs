// The main screens of the dashboard and the data that fills them, shared by the axe check (a11y.test.mjs) and the
// phone screenshots (phone-screens.test.mjs).
import PocketBase from 'pocketbase';
import { EMAIL, PASSWORD } from './server.mjs';
import { makePng } from './png.mjs';

/** Screens of the app: the hash route and the heading that says it is shown. */
export const SCREENS = [
  ['collections', 'Collections'],
  ['collections/new', 'New collection'],
  ['collections/posts', 'Collection posts'],
  ['records/posts', 'posts'],
  ['records/users', 'users'],
  ['files', 'Files'],
  ['keys', 'API keys'],
  ['logs', 'Logs'],
  ['analytics', 'Analytics'],
  ['backups', 'Backups'],
  ['sql', 'SQL'],
  ['functions', 'Functions'],
  ['push', 'Push notifications'],
  ['settings', 'Settings'],
  ['projects', 'Projects'],
];

/** A posts collection with a record (with an image) and a user, as a superuser of main; returns the client. */
export async function seedScreens(server) {
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', listRule: '', fields: [
    { name: 'title', type: 'text', required: true }, { name: 'views', type: 'number' }, { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
    { name: 'meta', type: 'json' }, { name: 'cover', type: 'file', maxSelect: 1, maxSize: 1 << 20 }, { name: 'published', type: 'bool' },
    { name: 'created', type: 'autodate', onCreate: true }, { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true }] });
  const form = new FormData();
  form.append('title', 'Hello');
  form.append('views', '3');
  form.append('cover', new Blob([makePng(32, 32)], { type: 'image/png' }), 'cover.png');
  await admin.collection('posts').create(form);
  await admin.collection('users').create({ email: 'ann@papergao.test', password: 'Ann-password-123', passwordConfirm: 'Ann-password-123', name: 'Ann' });
  return admin;
}

