// The records table: one row per record, the columns the picker shows at the widths the user gave them.
// A long page (more than VIRTUAL_FROM rows) renders only the rows in view and a margin around them (TanStack
// Virtual): the table then scrolls in its own box under a sticky header, and spacer rows stand for the rest, so a
// 1,000-record page costs about as much as a 40-record one. aria-rowcount/aria-rowindex tell assistive technology
// where the rendered rows sit. Rows are memoised: ticking one checkbox or resizing a column re-renders no other row.
// Widths are on <col> elements through the CSSOM (React's style property), never as style attributes in markup,
// which the dashboard's Content-Security-Policy refuses.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { CollectionModel, RecordModel } from 'pocketbase';
import type { FieldSchema } from '../lib/fieldTypes';
import { presentableFields } from '../lib/present';
import { RecordCell } from './RecordCell';
import { UserActions } from './UserActions';
import { clampWidth, MAX_WIDTH, MIN_WIDTH, type Widths } from './ColumnPicker';

/** Pages with more rows than this are virtualised. */
export const VIRTUAL_FROM = 100;
/** A row's height before it is measured (one line of text; thumbnails and open JSON make rows taller). */
const ROW_ESTIMATE = 34;
const SELECT_WIDTH = 36;
const ACTIONS_WIDTH = 330;
const TYPE_WIDTH: Record<string, number> = {
  text: 200, editor: 240, email: 220, url: 220, number: 110, bool: 90, date: 180, autodate: 180, select: 170,
  json: 220, relation: 200, file: 170, geoPoint: 170,
};

/** A column's width before the user sets one: by its type, wide enough for a short name and the sort mark. */
export function defaultWidth(name: string, type: string): number {
  const byType = name === 'id' ? 165 : TYPE_WIDTH[type] ?? 180;
  return clampWidth(Math.max(byType, Math.min(320, name.length * 8 + 52)));
}

export function RecordsTable({ name, collection, columns, items, sort, onSort, selected, onSelect, onSelectAll, linkFor, onOpen,
  fileToken, collections, widths, onWidth, onChanged, onMessage, scrollKey, empty }: {
  name: string;
  collection: CollectionModel | null;
  columns: FieldSchema[];
  items: RecordModel[];
  sort: string;
  onSort: (col: string) => void;
  selected: ReadonlySet<string>;
  onSelect: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
  /** The address of a record's side panel (the link of its id). */
  linkFor: (id: string) => string;
  onOpen: (id: string) => void;
  fileToken: string;
  collections: Map<string, CollectionModel>;
  widths: Widths;
  /** A column's new width, kept (null: back to its default). */
  onWidth: (name: string, px: number | null) => void;
  onChanged: () => void;
  onMessage: (m: string, isError: boolean) => void;
  /** A new value (another page, sort or filter) scrolls the table back to its first row. */
  scrollKey: string;
  /** What the body shows without rows (no records, or the refused request). */
  empty: ReactNode;
}) {
  const readOnly = collection?.type === 'view';
  const auth = collection?.type === 'auth' ? collection : null;
  const virtual = items.length > VIRTUAL_FROM;
  const boxRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  // The rows start below the header inside the scroll box: the virtualiser counts from there.
  useLayoutEffect(() => {
    const h = virtual ? headRef.current?.offsetHeight ?? 0 : 0;
    if (h !== headHeight) setHeadHeight(h);
  });
  // Keyed by record id: a row's measured height follows its record when the page reloads.
  const itemKey = useCallback((i: number) => items[i]?.id ?? i, [items]);
  // The row holding the keyboard focus stays rendered with its neighbours when it scrolls out of view (a wheel or
  // the scrollbar), so focus is not dropped to the page, and Tab / Shift+Tab go on to the next / previous row (which
  // then scrolls into view and brings the rows around it).
  const focused = useRef(-1);
  useEffect(() => { focused.current = -1; }, [items]);
  const rangeExtractor = useCallback((range: Range) => {
    const shown = defaultRangeExtractor(range);
    const f = focused.current;
    if (f < 0 || f >= range.count) return shown;
    const keep = [f - 1, f, f + 1].filter((i) => i >= 0 && i < range.count && !shown.includes(i));
    return keep.length ? [...shown, ...keep].sort((x, y) => x - y) : shown;
  }, []);
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => boxRef.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: itemKey,
    rangeExtractor,
    overscan: 10,
    scrollMargin: headHeight,
    enabled: virtual,
  });
  useEffect(() => { if (boxRef.current) boxRef.current.scrollTop = 0; }, [scrollKey]);

  // Per table, not per cell: the names that present a related record, by relation column.
  const relNames = useMemo(() => new Map(columns.filter((f) => f.type === 'relation')
    .map((f) => [f.name, presentableFields(collections.get(String(f.collectionId)))])), [columns, collections]);

  // While a handle is dragged its width lives here, so only the table re-renders (its rows are memoised), not the
  // page; the page gets the width, kept, when the drag ends.
  const [draft, setDraft] = useState<{ col: string; px: number } | null>(null);
  const resize = useCallback((col: string, px: number | null, keep = true) => {
    if (!keep && px !== null) { setDraft({ col, px: clampWidth(px) }); return; }
    setDraft(null);
    onWidth(col, px);
  }, [onWidth]);
  const widthOf = (col: string, type: string) => (draft?.col === col ? draft.px : widths[col] ?? defaultWidth(col, type));
  const total = SELECT_WIDTH + widthOf('id', 'text') + columns.reduce((s, f) => s + widthOf(f.name, f.type), 0) + (auth ? ACTIONS_WIDTH : 0);
  const allSelected = items.length > 0 && items.every((r) => selected.has(r.id));
  const span = columns.length + 2 + (auth ? 1 : 0);

  const row = (r: RecordModel, index: number) => (
    <RecordRow key={r.id} r={r} index={index} columns={columns} relNames={relNames} token={fileToken} collections={collections}
      checked={selected.has(r.id)} onSelect={onSelect} link={readOnly ? null : linkFor(r.id)} onOpen={onOpen}
      auth={auth} onChanged={onChanged} onMessage={onMessage} measure={virtual ? v.measureElement : undefined} />
  );
  let body: ReactNode;
  if (!virtual) {
    body = items.map(row);
  } else {
    // Spacer rows stand for the rows not rendered: before the first, between the focused row and the rows in view
    // (when it is kept apart from them), and after the last.
    const parts: ReactNode[] = [];
    let end = headHeight;
    for (const x of v.getVirtualItems()) {
      if (x.start > end) parts.push(<Spacer key={`gap-${x.index}`} height={x.start - end} span={span} />);
      parts.push(row(items[x.index], x.index));
      end = x.end;
    }
    const rest = v.getTotalSize() + headHeight - end;
    if (rest > 0) parts.push(<Spacer key="gap-end" height={rest} span={span} />);
    body = parts;
  }

  return (
    <div ref={boxRef} className={virtual ? 'table-wrap scroll-box' : 'table-wrap'}
      {...(virtual ? { role: 'region', 'aria-label': `${name} records (scrolls)`, tabIndex: 0 } : {})}>
      <table className="records-table" aria-label={`${name} records`} aria-rowcount={items.length + 1} style={{ width: total }}>
        <colgroup>
          <col className="col-select" />
          <col style={{ width: widthOf('id', 'text') }} />
          {columns.map((f) => <col key={f.name} style={{ width: widthOf(f.name, f.type) }} />)}
          {auth && <col className="col-actions" />}
        </colgroup>
        <thead ref={headRef}>
          <tr aria-rowindex={1}>
            <th><input type="checkbox" aria-label="Select all" checked={allSelected} onChange={(e) => onSelectAll(e.target.checked)} /></th>
            <HeaderCell col="id" sort={sort} onSort={onSort} width={widthOf('id', 'text')} fallback={defaultWidth('id', 'text')} onWidth={resize} />
            {columns.map((f) => <HeaderCell key={f.name} col={f.name} sort={sort} onSort={onSort} width={widthOf(f.name, f.type)} fallback={defaultWidth(f.name, f.type)} onWidth={resize} />)}
            {auth && <th className="sticky-end">Actions</th>}
          </tr>
        </thead>
        <tbody onFocus={(e) => { const tr = (e.target as HTMLElement).closest('tr[data-index]'); focused.current = tr ? Number(tr.getAttribute('data-index')) : -1; }}
          onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) focused.current = -1; }}>
          {body}
          {items.length === 0 && empty && <tr><td colSpan={span} className="muted">{empty}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}

/** Stands for the rows not rendered above or below the ones in view. */
function Spacer({ height, span }: { height: number; span: number }) {
  return <tr className="virtual-pad" aria-hidden="true"><td colSpan={span} style={{ height }} /></tr>;
}

const RecordRow = memo(function RecordRow({ r, index, columns, relNames, token, collections, checked, onSelect, link, onOpen, auth, onChanged, onMessage, measure }: {
  r: RecordModel; index: number; columns: FieldSchema[]; relNames: Map<string, string[]>; token: string; collections: Map<string, CollectionModel>;
  checked: boolean; onSelect: (id: string, on: boolean) => void; link: string | null; onOpen: (id: string) => void;
  auth: CollectionModel | null; onChanged: () => void; onMessage: (m: string, isError: boolean) => void;
  measure?: (el: HTMLTableRowElement | null) => void;
}) {
  return (
    <tr ref={measure} data-index={index} aria-rowindex={index + 2}>
      <td><input type="checkbox" aria-label={`Select ${r.id}`} checked={checked} onChange={(e) => onSelect(r.id, e.target.checked)} /></td>
      <td className="mono">{link === null ? r.id : <a href={link} onClick={(e) => { e.preventDefault(); onOpen(r.id); }}>{r.id}</a>}</td>
      {columns.map((f) => <td key={f.name} className={`cell-${f.type}`}><RecordCell field={f} record={r} token={token} collections={collections} names={relNames.get(f.name)} /></td>)}
      {auth && <td className="sticky-end"><UserActions collection={auth} record={r} onChanged={onChanged} onMessage={onMessage} /></td>}
    </tr>
  );
});

/**
 * A column header: the sort button and, at its right edge, a handle to resize the column (a focusable separator:
 * drag it, or Left/Right arrows by 10 px, with Shift by 50, Home/End for the smallest/largest; double-click or
 * Enter puts the default width back). The width is kept when the drag ends.
 */
function HeaderCell({ col, sort, onSort, width, fallback, onWidth }: {
  col: string; sort: string; onSort: (c: string) => void; width: number; fallback: number; onWidth: (name: string, px: number | null, keep?: boolean) => void;
}) {
  const drag = useRef<{ x: number; w: number; last: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const mark = sort === col ? ' ▲' : sort === `-${col}` ? ' ▼' : '';
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, w: width, last: width };
    setDragging(true);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    d.last = clampWidth(d.w + e.clientX - d.x);
    onWidth(col, d.last, false);
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    setDragging(false);
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    onWidth(col, d.last, true);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 50 : 10;
    const next = e.key === 'ArrowLeft' ? width - step : e.key === 'ArrowRight' ? width + step : e.key === 'Home' ? MIN_WIDTH : e.key === 'End' ? MAX_WIDTH : null;
    if (next !== null) { e.preventDefault(); onWidth(col, next); }
    else if (e.key === 'Enter') { e.preventDefault(); onWidth(col, null); }
  };
  return (
    <th className="resizable" aria-sort={sort === col ? 'ascending' : sort === `-${col}` ? 'descending' : undefined}>
      <button type="button" className="sort" onClick={() => onSort(col)} aria-label={`Sort by ${col}`}>{col}{mark}</button>
      <div role="separator" aria-orientation="vertical" aria-label={`Width of column ${col}`} tabIndex={0}
        aria-valuenow={width} aria-valuemin={MIN_WIDTH} aria-valuemax={MAX_WIDTH} aria-valuetext={`${width} pixels${width === fallback ? ' (default)' : ''}`}
        title="Drag to resize (arrow keys too); double-click for the default width"
        className={dragging ? 'col-resize dragging' : 'col-resize'}
        onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} onKeyDown={key}
        onDoubleClick={() => onWidth(col, null)} />
    </th>
  );
}
