import { useCallback, useEffect, useState, type ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { setNonce } from 'get-nonce';
import { cspNonce } from '../lib/cspNonce';

// The dialogs' scroll lock adds a <style> element (react-style-singleton, which reads the nonce from get-nonce): the
// Content-Security-Policy refuses it without the page's nonce.
setNonce(cspNonce);

/** How long a success message stays (a toast); errors stay until the next attempt. */
export const TOAST_MS = 5000;

/**
 * An error (role=alert, focusable so a failed submit can move focus to it) or a success message: a toast at the
 * bottom right that goes away by itself (or with its close button).
 */
export function Notice({ kind, children }: { kind: 'error' | 'ok'; children: ReactNode }) {
  if (!children) return null;
  if (kind === 'error') return <div className="notice error" role="alert" tabIndex={-1}>{children}</div>;
  // A new text starts a new toast (the same text set again after being cleared remounts it too).
  return <Toast key={typeof children === 'string' ? children : undefined}>{children}</Toast>;
}

function Toast({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    const t = window.setTimeout(() => setShown(false), TOAST_MS);
    return () => window.clearTimeout(t);
  }, []);
  if (!shown) return null;
  return (
    <div className="notice ok toast" role="status">
      <span>{children}</span>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => setShown(false)}>×</button>
    </div>
  );
}

/**
 * A dialog (Radix Dialog underneath): focus moves into it and stays there (Tab wraps), Escape closes the topmost one,
 * a press outside closes it, focus returns where it was, the title is its accessible name, the page behind is inert
 * and does not scroll. `side` makes it a panel at the right edge.
 */
export function Modal({ title, onClose, children, side }: { title: string; onClose: () => void; children: ReactNode; side?: boolean }) {
  return (
    <Dialog.Root open onOpenChange={(open) => { if (!open) onClose(); }}>
      <Dialog.Portal>
        <Dialog.Overlay className={side ? 'overlay overlay-side' : 'overlay'}>
          {/* aria-describedby={undefined}: the content describes itself; Radix otherwise warns that no Description is set. */}
          <Dialog.Content className={side ? 'modal side' : 'modal'} aria-modal="true" aria-describedby={undefined}
            onOpenAutoFocus={(e) => {
              // The first field or button rather than Radix's first tabbable (which may be a link in the text).
              const first = (e.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('input:not([disabled]), select, textarea, button');
              if (first) { e.preventDefault(); first.focus(); }
            }}>
            <Dialog.Title style={{ marginTop: 0 }}>{title}</Dialog.Title>
            {children}
          </Dialog.Content>
        </Dialog.Overlay>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * A dialog that only its own content closes (no Escape, no press outside), over everything else, open dialogs
 * included: the sign-in over an expired session. The title is for screen readers only.
 */
export function BlockingDialog({ title, children }: { title: string; children: ReactNode }) {
  const keep = (e: Event) => e.preventDefault();
  return (
    <Dialog.Root open>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay">
          <Dialog.Content aria-modal="true" aria-describedby={undefined} onEscapeKeyDown={keep} onPointerDownOutside={keep} onInteractOutside={keep}>
            <Dialog.Title className="sr-only">{title}</Dialog.Title>
            {children}
          </Dialog.Content>
        </Dialog.Overlay>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function Confirm({ title, message, confirmLabel, onConfirm, onCancel, danger }: {
  title: string; message: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void; danger?: boolean;
}) {
  return (
    <Modal title={title} onClose={onCancel}>
      <div style={{ marginBottom: 16 }}>{message}</div>
      <div className="row">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" className={danger ? 'primary danger-fill' : 'primary'} onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}

type Ask = { title: string; message: ReactNode; confirmLabel: string };

/**
 * The app's confirmation dialog in place of the browser's confirm(): `await ask({...})` is true when confirmed.
 * Render the returned element somewhere in the page.
 */
export function useConfirm(): [ReactNode, (a: Ask) => Promise<boolean>] {
  const [open, setOpen] = useState<(Ask & { resolve: (ok: boolean) => void }) | null>(null);
  const ask = useCallback((a: Ask) => new Promise<boolean>((resolve) => setOpen({ ...a, resolve })), []);
  const done = (ok: boolean) => { open?.resolve(ok); setOpen(null); };
  const element = open ? <Confirm title={open.title} message={open.message} confirmLabel={open.confirmLabel} danger onConfirm={() => done(true)} onCancel={() => done(false)} /> : null;
  return [element, ask];
}

/** "1 record", "2 records". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Previous / page x of y (with a count) / next. */
export function Pager({ page, totalPages, count, onPage }: { page: number; totalPages: number; count?: string; onPage: (p: number) => void }) {
  return (
    <div className="row" style={{ marginTop: 8 }}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
      <span className="muted">Page {page} of {Math.max(1, totalPages)}{count ? ` · ${count}` : ''}</span>
      <button type="button" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>Next</button>
    </div>
  );
}

/**
 * Moves focus to the first invalid input of `root` (or its error message) when a submit failed: `trigger` is the
 * error state; each new non-empty value moves focus once.
 */
export function useFocusFirstError(root: React.RefObject<HTMLElement | null>, trigger: unknown) {
  useEffect(() => {
    if (!trigger || (typeof trigger === 'object' && Object.keys(trigger as object).length === 0)) return;
    const el = root.current?.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])') ?? root.current?.querySelector<HTMLElement>('[role=alert]');
    el?.focus();
  }, [trigger, root]);
}
