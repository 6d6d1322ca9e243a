// Keyboard shortcuts of the whole app (docs/dashboard.md): single keys, never while typing in a field, never with
// Ctrl/Alt/Meta, and only when no dialog is open. A page offers its targets with data-shortcut attributes:
// data-shortcut="search" (an input, or an element holding one) and data-shortcut="new" (a button or link).
import { useEffect } from 'react';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: '/', what: 'Focus the search or filter box of the page' },
  { keys: 'n', what: 'New record (records page) or new collection (collections page)' },
  { keys: 'g then c', what: 'Go to Collections' },
  { keys: 'g then s', what: 'Go to Settings' },
  { keys: 'g then l', what: 'Go to Logs' },
  { keys: '?', what: 'Show this list' },
  { keys: 'Escape', what: 'Close the open dialog' },
];

const GO: Record<string, string> = { c: 'collections', s: 'settings', l: 'logs' };

/** True when the key goes to what the user is typing in (inputs, text areas, selects, editable text). */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

function visible(el: HTMLElement): boolean {
  return el.offsetParent !== null || el.getClientRects().length > 0;
}

function target(name: string): HTMLElement | null {
  return [...document.querySelectorAll<HTMLElement>(`[data-shortcut="${name}"]`)].find(visible) ?? null;
}

/** Installs the shortcuts while mounted; `onHelp` shows the list. */
export function useShortcuts(enabled: boolean, onHelp: () => void) {
  useEffect(() => {
    if (!enabled) return;
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (typingIn(e.target)) return;
      if (document.querySelector('[role=dialog][aria-modal=true]')) return;
      if (pendingG && Date.now() - pendingG < 1500 && GO[e.key]) {
        pendingG = 0;
        e.preventDefault();
        window.location.hash = `#/${GO[e.key]}`;
        return;
      }
      pendingG = 0;
      if (e.key === '?') { e.preventDefault(); onHelp(); return; }
      if (e.key === 'g') { pendingG = Date.now(); return; }
      if (e.key === '/') {
        const t = target('search');
        // An input, or a code editor's content (components/CodeEditor: the filter boxes).
        const input = t && (t.matches('input, textarea') ? t : t.querySelector<HTMLElement>('input:not([disabled]), textarea:not([disabled]), [contenteditable="true"]'));
        if (input) { e.preventDefault(); input.focus(); }
        return;
      }
      if (e.key === 'n' && !e.shiftKey) {
        const t = target('new');
        if (t) { e.preventDefault(); t.click(); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, onHelp]);
}
