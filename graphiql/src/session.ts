// The dashboard's session, read from where the dashboard keeps it (dashboard/src/lib/session.ts): the current project
// in localStorage `pg_project`, and that project's superuser session in `pg_auth_<project>` ({token, record}).

export type Session = { project: string; token: string; email: string };

export function currentProject(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('project');
  return fromUrl || localStorage.getItem('pg_project') || 'main';
}

export function readSession(project: string): Session | null {
  let stored: { token?: unknown; record?: { email?: unknown } } | null = null;
  try {
    stored = JSON.parse(localStorage.getItem(`pg_auth_${project}`) ?? 'null');
  } catch {
    return null;
  }
  const token = typeof stored?.token === 'string' ? stored.token : '';
  if (!token || tokenExpired(token)) return null;
  const email = typeof stored?.record?.email === 'string' ? stored.record.email : '';
  return { project, token, email };
}

/** The path of the project's GraphQL endpoint (docs/graphql.md). */
export function endpoint(project: string): string {
  return project === 'main' ? '/api/graphql' : `/p/${encodeURIComponent(project)}/api/graphql`;
}

function tokenExpired(token: string): boolean {
  const payload = token.split('.')[1];
  if (!payload) return true;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now();
  } catch {
    return true;
  }
}
