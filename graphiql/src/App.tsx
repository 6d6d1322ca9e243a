import { useMemo } from 'react';
import { GraphiQL } from 'graphiql';
import { createFetcher } from './fetcher';
import { currentProject, endpoint, readSession } from './session';

export function App() {
  const project = currentProject();
  const session = readSession(project);
  const url = endpoint(project);
  const fetcher = useMemo(() => createFetcher(url, session?.token ?? ''), [url, session?.token]);

  if (!session) {
    return (
      <main className="signed-out">
        <h1>GraphQL explorer</h1>
        <p>
          Sign in to the dashboard as a superuser of project <b>{project}</b> first; the explorer uses that session.
        </p>
        <p><a href="/_/">Open the dashboard</a></p>
      </main>
    );
  }

  const defaultQuery =
    `# GraphQL explorer of project ${project}, signed in as ${session.email || 'a superuser'}.\n` +
    `# Requests go to ${url} with the dashboard's session. The schema is generated from the collections\n` +
    `# (docs/graphql.md); press Ctrl+Space for completion and Ctrl+Enter to run.\n` +
    `{\n  __typename\n}\n`;

  return (
    <div className="page">
      <header className="bar">
        <a href="/_/">← Dashboard</a>
        <span>project <b>{project}</b></span>
        <span className="endpoint">{url}</span>
        <span className="spacer" />
        <span>{session.email}</span>
      </header>
      <div className="explorer">
        <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} storage={projectStorage(project)} />
      </div>
    </div>
  );
}

/** GraphiQL's tabs and history, kept apart per project (its own keys, never the dashboard's). */
function projectStorage(project: string): Storage {
  const prefix = `pg_graphiql_${project}:`;
  return {
    get length() {
      return Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length;
    },
    key: (i) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))[i]?.slice(prefix.length) ?? null,
    getItem: (k) => localStorage.getItem(prefix + k),
    setItem: (k, v) => localStorage.setItem(prefix + k, v),
    removeItem: (k) => localStorage.removeItem(prefix + k),
    clear: () => {
      for (const k of Object.keys(localStorage)) if (k.startsWith(prefix)) localStorage.removeItem(k);
    },
  };
}
