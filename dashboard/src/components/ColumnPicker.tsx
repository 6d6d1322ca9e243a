// Which columns the records table shows and how wide they are, kept per project and collection in localStorage.
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useCallback, useState } from 'react';

const key = (project: string, collection: string) => `pg_columns_${project}_${collection}`;
const widthsKey = (project: string, collection: string) => `pg_widths_${project}_${collection}`;

/** Column widths in CSS pixels by column name (the ones the user set; the others take their default). */
export type Widths = Readonly<Record<string, number>>;
export const MIN_WIDTH = 60;
export const MAX_WIDTH = 1200;
export const clampWidth = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));

function readWidths(project: string, collection: string): Widths {
  try {
    const v = JSON.parse(localStorage.getItem(widthsKey(project, collection)) ?? 'null');
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    // Only numbers, clamped: a hand-edited or stale entry cannot make a column vanish or the table huge.
    return Object.fromEntries(Object.entries(v).filter(([, w]) => typeof w === 'number' && Number.isFinite(w)).map(([n, w]) => [n, clampWidth(w as number)]));
  } catch {
    return {};
  }
}

/**
 * The widths the user gave the columns of one collection, kept in localStorage. `set(name, px)` changes one (null:
 * back to its default), `reset()` forgets them all.
 */
export function useColumnWidths(project: string, collection: string): { widths: Widths; set: (name: string, px: number | null) => void; reset: () => void } {
  // The records page is keyed by collection (App.tsx), so one hook instance serves one collection.
  const [widths, setWidths] = useState<Widths>(() => readWidths(project, collection));
  const set = useCallback((name: string, px: number | null) => {
    setWidths((w) => {
      const next: Record<string, number> = { ...w };
      if (px === null) delete next[name];
      else next[name] = clampWidth(px);
      localStorage.setItem(widthsKey(project, collection), JSON.stringify(next));
      return next;
    });
  }, [project, collection]);
  const reset = useCallback(() => {
    localStorage.removeItem(widthsKey(project, collection));
    setWidths({});
  }, [project, collection]);
  return { widths, set, reset };
}

/** The visible column names: the stored choice (names still in `all`), else the first `initial` ones. */
export function useColumns(project: string, collection: string, all: string[], initial = 8): [string[], (names: string[]) => void] {
  const [stored, setStored] = useState<string[] | null>(() => {
    try { const v = JSON.parse(localStorage.getItem(key(project, collection)) ?? 'null'); return Array.isArray(v) ? v : null; } catch { return null; }
  });
  const shown = stored ? all.filter((n) => stored.includes(n)) : all.slice(0, initial);
  const set = (names: string[]) => {
    localStorage.setItem(key(project, collection), JSON.stringify(names));
    setStored(names);
  };
  return [shown, set];
}

/**
 * The "Columns" menu (Radix DropdownMenu, not modal: the table behind changes as columns are ticked): a checkbox item
 * per column, then All, None and Reset widths. Choosing an item keeps the menu open; Escape, the trigger or a press
 * outside closes it.
 */
export function ColumnPicker({ all, shown, onChange, onResetWidths }: { all: string[]; shown: string[]; onChange: (names: string[]) => void; onResetWidths?: () => void }) {
  const keepOpen = (e: Event) => e.preventDefault();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="btn">Columns ({shown.length}/{all.length})</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          <DropdownMenu.Group aria-label="Shown columns">
            {all.map((n) => (
              <DropdownMenu.CheckboxItem key={n} className="menu-item" checked={shown.includes(n)} onSelect={keepOpen}
                onCheckedChange={(on) => onChange(on ? all.filter((x) => x === n || shown.includes(x)) : shown.filter((x) => x !== n))}>
                <span className="menu-check" aria-hidden="true"><DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator></span>
                <span>{n}</span>
              </DropdownMenu.CheckboxItem>
            ))}
          </DropdownMenu.Group>
          <DropdownMenu.Separator className="menu-sep" />
          <DropdownMenu.Item className="menu-item" onSelect={(e) => { keepOpen(e); onChange(all); }}>All</DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={(e) => { keepOpen(e); onChange([]); }}>None</DropdownMenu.Item>
          {onResetWidths && <DropdownMenu.Item className="menu-item" onSelect={(e) => { keepOpen(e); onResetWidths(); }}>Reset widths</DropdownMenu.Item>}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
