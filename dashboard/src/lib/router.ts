// Hash routing: #/collections, #/records/posts, ... The server serves index.html for /_/ only.
import { useSyncExternalStore } from 'react';

function current(): string[] {
  const h = window.location.hash.replace(/^#\/?/, '');
  const [path] = h.split('?');
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

let cached = current();
let cachedHash = window.location.hash;
function snapshot() {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cached = current();
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

export function navigate(...parts: string[]) {
  window.location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}
