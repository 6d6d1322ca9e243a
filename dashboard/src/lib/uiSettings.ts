// Settings that change the dashboard itself: meta.hideControls (as in PocketBase's admin UI, "Hide collection create
// and edit controls"): collections cannot be created, imported, edited, duplicated, truncated or deleted from the
// dashboard while it is on, so a production schema changes only through migrations/imports done on purpose.
import { useEffect, useState } from 'react';
import { pb, getSession } from './session';

const cache = new Map<string, Promise<boolean>>();
const CHANGED = 'pg-settings-changed';

/** Call after saving settings: pages read meta.hideControls again. */
export function settingsChanged() {
  cache.clear();
  window.dispatchEvent(new Event(CHANGED));
}

function read(): Promise<boolean> {
  const project = getSession().project;
  let p = cache.get(project);
  if (!p) {
    p = pb().settings.getAll().then((s) => !!(s.meta as { hideControls?: boolean } | undefined)?.hideControls).catch(() => false);
    cache.set(project, p);
  }
  return p;
}

/** meta.hideControls of the current project (false until known). */
export function useHideControls(): boolean {
  const [hide, setHide] = useState(false);
  useEffect(() => {
    let live = true;
    const load = () => void read().then((v) => { if (live) setHide(v); });
    load();
    window.addEventListener(CHANGED, load);
    return () => { live = false; window.removeEventListener(CHANGED, load); };
  }, []);
  return hide;
}
