// The PocketBase client of the current project and the superuser session around it.
// Each project keeps its own session (a superuser of `main` is not one of another project).
import PocketBase, { LocalAuthStore, ClientResponseError } from 'pocketbase';

export type SessionState = {
  project: string;
  signedIn: boolean;
  /** True when a session existed but the server no longer accepts it: the sign-in overlay shows over the page. */
  expired: boolean;
  email: string;
};

const PROJECT_KEY = 'pg_project';
let listeners = new Set<() => void>();
let state: SessionState;
let client: PocketBase;

export function projectBase(project: string): string {
  return project === 'main' ? window.location.origin : `${window.location.origin}/p/${encodeURIComponent(project)}`;
}

function makeClient(project: string): PocketBase {
  const pb = new PocketBase(projectBase(project), new LocalAuthStore(`pg_auth_${project}`));
  pb.autoCancellation(false);
  pb.afterSend = (response, data) => {
    if (response.status === 401 && pb.authStore.token && !response.url.includes('/auth-with-password')) markExpired();
    else if (response.status === 403 && pb.authStore.token) void verifySession();
    return data;
  };
  pb.beforeSend = (url, options) => {
    if (pb.authStore.token && !pb.authStore.isValid) markExpired();
    return { url, options };
  };
  pb.authStore.onChange(() => refreshState());
  return pb;
}

function readState(): SessionState {
  const rec = client.authStore.record;
  return {
    project: state?.project ?? 'main',
    signedIn: client.authStore.isValid && rec?.collectionName === '_superusers',
    expired: state?.expired ?? false,
    email: (rec?.email as string) ?? '',
  };
}

function emit() {
  for (const l of listeners) l();
}

function refreshState() {
  const next = readState();
  if (next.signedIn) next.expired = false;
  state = next;
  emit();
}

function init() {
  const project = localStorage.getItem(PROJECT_KEY) || 'main';
  client = makeClient(project);
  state = { project, signedIn: false, expired: false, email: '' };
  state = readState();
  // A stored token that already expired counts as an expired session.
  if (client.authStore.token && !client.authStore.isValid) state = { ...state, expired: true };
}
init();

export function pb(): PocketBase {
  return client;
}

export function getSession(): SessionState {
  return state;
}

export function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function markExpired() {
  if (state.expired && !state.signedIn) return;
  state = { ...state, signedIn: false, expired: true };
  emit();
}

let verifying = false;
/** A 403 with a token may mean the server dropped the session (a token of a changed password is a guest's). */
export async function verifySession(): Promise<void> {
  if (verifying) return;
  verifying = true;
  try {
    const res = await fetch(`${client.baseURL}/api/collections/_superusers/auth-refresh`, {
      method: 'POST',
      headers: { Authorization: client.authStore.token },
    });
    if (res.status === 401 || res.status === 403 || res.status === 404) markExpired();
  } catch {
    // network trouble is not an expired session
  } finally {
    verifying = false;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  await client.collection('_superusers').authWithPassword(email, password);
  state = { ...readState(), expired: false };
  emit();
}

export function signOut() {
  client.authStore.clear();
  state = { ...readState(), expired: false };
  emit();
}

export function switchProject(project: string) {
  localStorage.setItem(PROJECT_KEY, project);
  client = makeClient(project);
  state = { project, signedIn: false, expired: false, email: '' };
  state = readState();
  emit();
}

/** The message of an API error: the envelope's message and the field errors it names (nested keys joined with '.'). */
export function errorText(err: unknown): string {
  if (err instanceof ClientResponseError) {
    if (err.isAbort) return 'The request was cancelled.';
    if (err.status === 0) return 'The server could not be reached.';
    const base = (err.response?.message as string) || err.message;
    const fields = Object.entries(fieldErrors(err));
    return fields.length ? `${base} ${fields.map(([k, v]) => `${k}: ${v}`).join('; ')}` : base;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Per-field messages of an API error's `data` (nested keys joined with '.'). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ClientResponseError)) return out;
  const walk = (obj: unknown, prefix: string) => {
    if (!obj || typeof obj !== 'object') return;
    const o = obj as Record<string, unknown>;
    if (typeof o.message === 'string' && typeof o.code === 'string') {
      out[prefix] = o.message;
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(err.response?.data, '');
  return out;
}
