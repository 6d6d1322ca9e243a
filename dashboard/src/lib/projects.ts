// The projects the header's switcher offers. The server lists its projects only to superusers of `main`
// (GET /api/platform/projects, docs/projects.md), so: that list when this browser holds a valid `main` session, and
// in any case every project this browser holds a session for (localStorage pg_auth_<project>) and the current one.
import PocketBase, { LocalAuthStore } from 'pocketbase';
import { useEffect, useState } from 'react';
import { pb, getSession, projectBase } from './session';

const CHANGED = 'pg-projects-changed';

/** Tells the switcher to list the projects again (after one was created or deleted). */
export function projectsChanged() {
  window.dispatchEvent(new Event(CHANGED));
}

function storedSessions(): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i) ?? '';
    if (!k.startsWith('pg_auth_')) continue;
    try {
      const v = JSON.parse(localStorage.getItem(k) ?? 'null') as { token?: string } | null;
      if (v?.token) out.push(k.slice('pg_auth_'.length));
    } catch { /* not ours */ }
  }
  return out;
}

async function serverList(): Promise<string[]> {
  const current = getSession().project;
  // The current client when it is main's; else main's stored session, only while its token is still valid.
  const main = current === 'main' ? pb() : new PocketBase(projectBase('main'), new LocalAuthStore('pg_auth_main'));
  if (!main.authStore.isValid || main.authStore.record?.collectionName !== '_superusers') return [];
  try {
    const r = await main.send<{ items: { name: string }[] }>('/api/platform/projects', { query: { perPage: 500 }, requestKey: null });
    return r.items.map((p) => p.name);
  } catch {
    return [];
  }
}

/** The project names to offer, `main` first, then by name. */
export function useProjects(project: string, signedIn: boolean): string[] {
  const [names, setNames] = useState<string[]>([project]);
  useEffect(() => {
    let live = true;
    const load = () => void serverList().then((fromServer) => {
      if (!live) return;
      const all = new Set([project, 'main', ...storedSessions(), ...fromServer]);
      setNames([...all].sort((a, b) => (a === 'main' ? -1 : b === 'main' ? 1 : a.localeCompare(b))));
    });
    load();
    window.addEventListener(CHANGED, load);
    return () => { live = false; window.removeEventListener(CHANGED, load); };
  }, [project, signedIn]);
  return names;
}
