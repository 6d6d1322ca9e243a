// Hash routing: #/collections, #/records/posts?filter=...&page=2, ... The server serves index.html for /_/ only.
// A page with unsaved work sets a leave guard: leaving it (a link, the back button) then asks first.
import { useSyncExternalStore } from 'react';

function current(): string[] {
  const h = window.location.hash.replace(/^#\/?/, '');
  const [path] = h.split('?');
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

let cached = current();
let cachedHash = window.location.hash;
let cachedQuery = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
function snapshot() {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cached = current();
    cachedQuery = new URLSearchParams(cachedHash.split('?')[1] ?? '');
  }
  return cached;
}

function sub(fn: () => void) {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
}

export function useRoute(): string[] {
  return useSyncExternalStore(sub, snapshot);
}

/** The query part of the hash (#/records/posts?filter=...): state that survives a reload and can be shared. */
export function useQuery(): URLSearchParams {
  return useSyncExternalStore(sub, () => { snapshot(); return cachedQuery; });
}

/** Replaces the hash's query (keeping the path); empty values are left out. `push` adds a history entry. */
export function setQuery(values: Record<string, string | number | null | undefined>, push = false) {
  const path = window.location.hash.split('?')[0] || '#/';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  const next = qs ? `${path}?${qs}` : path;
  if (next === window.location.hash) return;
  lastHash = next;
  if (push) window.history.pushState(null, '', next);
  else window.history.replaceState(null, '', next);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

// ---- leave guard ----
let guard: string | null = null;
let lastHash = window.location.hash;
let pending: string | null = null;
const pendingListeners = new Set<() => void>();
const emitPending = () => { for (const l of pendingListeners) l(); };

/** While `message` is set, leaving the page asks first (and reloading/closing the tab gets the browser's prompt). */
export function setLeaveGuard(message: string | null) {
  guard = message;
}

window.addEventListener('hashchange', () => {
  const next = window.location.hash;
  const samePage = next.split('?')[0] === lastHash.split('?')[0];
  if (guard && next !== lastHash && !samePage) {
    // Put the address back (no new history entry, no hashchange) and ask.
    window.history.replaceState(null, '', lastHash || '#/');
    pending = next;
    emitPending();
    return;
  }
  lastHash = next;
});
window.addEventListener('beforeunload', (e) => { if (guard) e.preventDefault(); });

/** The navigation waiting for "leave without saving?" (null when none). */
export function usePendingLeave(): { message: string; target: string } | null {
  const target = useSyncExternalStore((fn) => { pendingListeners.add(fn); return () => pendingListeners.delete(fn); }, () => pending);
  return target ? { message: guard ?? '', target } : null;
}

export function resolvePendingLeave(leave: boolean) {
  const target = pending;
  pending = null;
  emitPending();
  if (leave && target) {
    guard = null;
    window.location.hash = target;
  }
}

/** The app's own navigation (after a save or a delete): not stopped by the leave guard. */
export function navigate(...parts: string[]) {
  guard = null;
  window.location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}
