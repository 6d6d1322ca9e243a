import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useRoute, href, navigate, usePendingLeave, resolvePendingLeave } from './lib/router';
import { useSession } from './lib/useSession';
import { signOut, switchProject } from './lib/session';
import { SignIn } from './pages/SignIn';
import { Setup } from './pages/Setup';
import { AuthConfirm } from './pages/AuthConfirm';
import { CollectionsPage } from './pages/Collections';
import { CollectionEditor } from './pages/CollectionEditor';
import { RecordsPage } from './pages/Records';
import { ApiKeysPage } from './pages/ApiKeys';
import { SettingsPage } from './pages/Settings';
import { ProjectsPage } from './pages/Projects';
import { LogsPage } from './pages/Logs';
import { AnalyticsPage } from './pages/Analytics';
import { FilesPage } from './pages/Files';
import { BackupsPage } from './pages/Backups';
import { SqlPage } from './pages/Sql';
import { FunctionsPage } from './pages/Functions';
import { PushPage } from './pages/Push';
import { useTheme, type Theme } from './lib/theme';
import { BlockingDialog, Confirm, Modal } from './components/ui';
import { useProjects } from './lib/projects';
import { SHORTCUTS, useShortcuts } from './lib/shortcuts';

/** The menu and the pages: one line per page (route key, menu label, what it shows for the route #/key/...). */
const NAV: { key: string; label: string; page: (route: string[]) => ReactNode }[] = [
  { key: 'collections', label: 'Collections', page: (r) => (r[1] ? <CollectionEditor key={r[1]} idOrName={r[1]} /> : <CollectionsPage />) },
  { key: 'files', label: 'Files', page: () => <FilesPage /> },
  { key: 'keys', label: 'API keys', page: () => <ApiKeysPage /> },
  { key: 'logs', label: 'Logs', page: () => <LogsPage /> },
  { key: 'analytics', label: 'Analytics', page: () => <AnalyticsPage /> },
  { key: 'backups', label: 'Backups', page: () => <BackupsPage /> },
  { key: 'sql', label: 'SQL', page: () => <SqlPage /> },
  { key: 'functions', label: 'Functions', page: () => <FunctionsPage /> },
  { key: 'push', label: 'Push', page: () => <PushPage /> },
  { key: 'settings', label: 'Settings', page: () => <SettingsPage /> },
  { key: 'projects', label: 'Projects', page: () => <ProjectsPage /> },
];

export function App() {
  const route = useRoute();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  const wasSignedIn = useRef(session.signedIn);
  const [help, setHelp] = useState(false);
  const showHelp = useCallback(() => setHelp(true), []);
  useShortcuts(session.signedIn && !session.expired, showHelp);
  // After signing in (first time or over an expired session) focus goes to the page's content.
  useEffect(() => {
    if (session.signedIn && !wasSignedIn.current) main.current?.focus();
    wasSignedIn.current = session.signedIn;
  }, [session.signedIn]);

  if (route[0] === 'setup') return <div className="center"><Setup token={route[1] ?? ''} /></div>;
  // Links of the auth emails (docs/auth.md): public pages, no superuser session needed.
  if (route[0] === 'auth') return <div className="center"><AuthConfirm kind={route[1] ?? ''} token={route[2] ?? ''} /></div>;

  if (!session.signedIn && !session.expired) {
    return (
      <div className="center">
        <div style={{ width: '100%', maxWidth: 380 }}>
          <SignIn project={session.project} expired={false} />
          {session.project !== 'main' && (
            <p><button type="button" onClick={() => switchProject('main')}>Back to project main</button></p>
          )}
        </div>
      </div>
    );
  }

  const page = route[0] ?? 'collections';
  return (
    <>
      {/* The page stays mounted under the sign-in overlay, so an expired session keeps the form being edited. */}
      <div className="layout" aria-hidden={session.expired ? true : undefined} inert={session.expired ? true : undefined}>
        <nav className="nav" aria-label="Main">
          <div className="brand">PaperGao</div>
          <ProjectSwitcher project={session.project} signedIn={session.signedIn} />
          {NAV.map(({ key, label }) => (
            <a key={key} href={href(key)} className={page === key || (key === 'collections' && page === 'records') ? 'active' : ''}
              aria-current={page === key ? 'page' : undefined}>{label}</a>
          ))}
          <a href={`/_/graphiql/?project=${encodeURIComponent(session.project)}`}>GraphQL</a>
          <div className="spacer" />
          <ThemeSwitch />
          <div className="project" title={session.email}>{session.email}</div>
          <button type="button" className="nav-link" onClick={showHelp} aria-keyshortcuts="?">Shortcuts <kbd>?</kbd></button>
          <a href="#/" onClick={(e) => { e.preventDefault(); signOut(); }}>Sign out</a>
        </nav>
        <main className="main" id="main" ref={main} tabIndex={-1}>
          {/* Keyed by project: switching project remounts the page, so nothing of the other project stays shown. */}
          <Page key={session.project} route={route} />
        </main>
      </div>
      {session.expired && (
        <BlockingDialog title="Sign in again">
          <SignIn project={session.project} expired email={session.email} />
        </BlockingDialog>
      )}
      <LeaveGuard />
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </>
  );
}

/** "Leave without saving?" when a page with unsaved work (the collection editor) is left. */
function LeaveGuard() {
  const pending = usePendingLeave();
  if (!pending) return null;
  return (
    <Confirm title="Leave without saving?" confirmLabel="Leave without saving" danger
      message={<p style={{ marginTop: 0 }}>{pending.message} Leaving discards them.</p>}
      onCancel={() => resolvePendingLeave(false)} onConfirm={() => resolvePendingLeave(true)} />
  );
}

/** The project of the dashboard (each has its own superusers and session): switching shows its sign-in if needed. */
function ProjectSwitcher({ project, signedIn }: { project: string; signedIn: boolean }) {
  const names = useProjects(project, signedIn);
  return (
    <label className="project-switch">
      <span>Project</span>
      <select value={project} onChange={(e) => { switchProject(e.target.value); navigate('collections'); }}>
        {names.map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
    </label>
  );
}

function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>Single keys, not while typing in a field or with a dialog open.</p>
      <table className="shortcuts">
        <thead><tr><th scope="col">Key</th><th scope="col">Does</th></tr></thead>
        <tbody>{SHORTCUTS.map((s) => <tr key={s.keys}><td><kbd>{s.keys}</kbd></td><td>{s.what}</td></tr>)}</tbody>
      </table>
      <div className="row" style={{ marginTop: 12 }}><button type="button" onClick={onClose}>Close</button></div>
    </Modal>
  );
}

function ThemeSwitch() {
  const [theme, setTheme] = useTheme();
  return (
    <select className="theme" aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
      <option value="system">Theme: system</option>
      <option value="light">Theme: light</option>
      <option value="dark">Theme: dark</option>
    </select>
  );
}

function Page({ route }: { route: string[] }) {
  const key = route[0] ?? 'collections';
  if (key === 'records') return <RecordsPage key={route[1]} collection={route[1] ?? ''} />;
  const item = NAV.find((n) => n.key === key);
  return item ? <>{item.page(route)}</> : <p>Unknown page. <a href={href('collections')}>Collections</a></p>;
}
