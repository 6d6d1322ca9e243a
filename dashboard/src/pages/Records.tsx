import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CollectionModel, ListResult, RecordModel } from 'pocketbase';
import { pb, errorText, getSession } from '../lib/session';
import { href, setQuery, useQuery } from '../lib/router';
import { checkFilter } from '../lib/filterSyntax';
import { filterWordsOf } from '../lib/filterCompletion';
import type { FieldSchema } from '../lib/fieldTypes';
import { RuleInput } from '../components/RuleInput';
import { RecordForm } from '../components/RecordForm';
import { ColumnPicker, useColumns, useColumnWidths } from '../components/ColumnPicker';
import { RecordsTable } from '../components/RecordsTable';
import { CollectionsSidebar } from '../components/CollectionsSidebar';
import { Notice, Pager, plural, useConfirm } from '../components/ui';
import { BulkActions, type BulkResult } from '../components/BulkActions';

// 1000 is the API's largest page (bench/dashboard-list.mjs times a 1,000-record page).
const PAGE_SIZES = [20, 50, 100, 200, 500, 1000];

export function RecordsPage({ collection: name }: { collection: string }) {
  const [collection, setCollection] = useState<CollectionModel | null>(null);
  // Filter, sort, page and the open record live in the URL (#/records/posts?filter=...&sort=...&page=2&record=ID):
  // a reload keeps them and the address can be shared.
  const query = useQuery();
  const page = Math.max(1, Number(query.get('page')) || 1);
  const perPage = PAGE_SIZES.includes(Number(query.get('perPage'))) ? Number(query.get('perPage')) : PAGE_SIZES[0];
  const [all, setAll] = useState<CollectionModel[]>([]);
  const applied = query.get('filter') ?? '';
  const defaultSort = (collection?.fields as FieldSchema[] | undefined)?.some((f) => f.name === 'created') ? '-created' : '-id';
  const sort = query.get('sort') ?? defaultSort;
  const openId = query.get('record') ?? '';
  const [filter, setFilter] = useState(applied);
  const [list, setList] = useState<ListResult<RecordModel> | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<RecordModel | 'new' | null>(null);
  const [error, setError] = useState('');
  const [filterError, setFilterError] = useState('');
  const [ok, setOk] = useState('');
  const [fileToken, setFileToken] = useState('');
  const [confirmDialog, ask] = useConfirm();

  const go = (patch: { filter?: string; sort?: string; page?: number; record?: string; perPage?: number }) => {
    const next = { filter: applied, sort: query.get('sort') ?? '', page: page > 1 ? page : '', perPage: query.get('perPage') ?? '', record: openId, ...patch };
    if (next.page === 1) next.page = '';
    if (next.perPage === PAGE_SIZES[0]) next.perPage = '';
    setQuery(next, true);
  };
  useEffect(() => { setFilter(applied); }, [applied]);

  useEffect(() => { pb().collections.getFullList({ sort: 'name' }).then(setAll).catch(() => {}); }, []);
  const byId = useMemo(() => new Map(all.map((c) => [c.id, c])), [all]);

  useEffect(() => {
    pb().collections.getOne(name).then((c) => {
      setCollection(c);
      // Protected files need a short-lived file token in their URL.
      if ((c.fields as FieldSchema[]).some((f) => f.type === 'file' && f.protected)) pb().files.getToken().then(setFileToken).catch(() => {});
    }).catch((e) => setError(errorText(e)));
  }, [name]);

  const fields = useMemo(() => ((collection?.fields ?? []) as FieldSchema[]).filter((f) => f.type !== 'password' && f.name !== 'tokenKey'), [collection]);
  const [shownNames, setShownNames] = useColumns(getSession().project, name, fields.filter((f) => f.name !== 'id').map((f) => f.name));
  const shownKey = shownNames.join('\n');
  // The same array while the choice is the same, so the table's memoised rows stay as they are.
  const columns = useMemo(() => shownKey.split('\n').map((n) => fields.find((f) => f.name === n)!).filter(Boolean), [shownKey, fields]);
  const { widths, set: setWidth, reset: resetWidths } = useColumnWidths(getSession().project, name);
  // Related records come expanded so their cells show names, not bare ids.
  const expand = columns.filter((f) => f.type === 'relation').map((f) => f.name).join(',');

  const load = useCallback(async () => {
    if (!collection) return;
    try {
      const res = await pb().collection(collection.name).getList(page, perPage, { sort, filter: applied, ...(expand ? { expand } : {}) });
      // A page past the end (after deleting its records): show the last one instead.
      if (res.items.length === 0 && page > 1 && res.totalPages > 0) { setQuery({ ...Object.fromEntries(new URLSearchParams(window.location.hash.split('?')[1] ?? '')), page: res.totalPages > 1 ? res.totalPages : '' }); return; }
      setList(res);
      setError('');
      setFilterError('');
    } catch (e) {
      // A refused filter or sort must not leave the previous rows on screen as if it had been applied.
      setList(null);
      setSelected(new Set());
      setError(errorText(e));
      setFilterError(applied ? errorText(e) : '');
    }
  }, [collection, page, perPage, sort, applied, expand]);
  useEffect(() => { void load(); }, [load]);

  // The record named in the URL opens in the form (fetched when it is not on this page).
  useEffect(() => {
    if (!collection || !openId) { setEditing(null); return; }
    if (openId === 'new') { setEditing('new'); return; }
    const here = list?.items.find((r) => r.id === openId);
    if (here) { setEditing(here); return; }
    let live = true;
    pb().collection(collection.name).getOne(openId).then((r) => { if (live) setEditing(r); }).catch((e) => { if (live) { setError(errorText(e)); setEditing(null); } });
    return () => { live = false; };
  }, [collection, openId, list]);
  const openRecord = (id: string) => go({ record: id });
  // Stable callbacks for the table's memoised rows: a row re-renders only when its record or its checkbox changes.
  const openRef = useRef(openRecord);
  openRef.current = openRecord;
  const onOpen = useCallback((id: string) => openRef.current(id), []);
  const linkQuery = (() => { const q = new URLSearchParams(query); q.delete('record'); return q.toString(); })();
  const linkFor = useCallback((id: string) => {
    const q = new URLSearchParams(linkQuery);
    q.set('record', id);
    return `${href('records', name)}?${q}`;
  }, [name, linkQuery]);
  const onSelect = useCallback((id: string, on: boolean) => setSelected((s) => {
    const next = new Set(s);
    if (on) next.add(id); else next.delete(id);
    return next;
  }), []);
  const onMessage = useCallback((m: string, isError: boolean) => (isError ? setError(m) : setOk(m)), []);
  const closeRecord = () => go({ record: '' });

  function toggleSort(col: string) {
    go({ sort: sort === col ? `-${col}` : col, page: 1 });
  }

  /** After a bulk action: the records that failed stay selected and are named with the server's message. */
  async function bulkDone(r: BulkResult) {
    setSelected(new Set(r.failed.map((f) => f.id)));
    // After the reload (which clears the last error), so the failures stay on screen.
    await load();
    setOk(r.done.length ? `${r.action} ${plural(r.done.length, 'record')}.` : '');
    setError(r.failed.length ? `${r.failed.length} of ${plural(r.done.length + r.failed.length, 'record')} failed:\n${r.failed.map((f) => `${f.id}: ${f.message}`).join('\n')}` : '');
  }

  async function deleteOne(r: RecordModel) {
    if (!collection || !(await ask({ title: 'Delete record?', message: `Delete record ${r.id} of ${collection.name}? This cannot be undone.`, confirmLabel: 'Delete' }))) return;
    try {
      await pb().collection(collection.name).delete(r.id);
      setOk('Deleted.');
      closeRecord();
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  const items = list?.items ?? [];
  const readOnly = collection?.type === 'view';
  return (
    <div className="records-layout">
    <CollectionsSidebar collections={all} current={name} />
    <div className="records-main">
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>{name}</h1>
        <ColumnPicker all={fields.filter((f) => f.name !== 'id').map((f) => f.name)} shown={shownNames} onChange={setShownNames} onResetWidths={resetWidths} />
        <a className="btn" href={href('collections', name)}>Schema &amp; rules</a>
        {!readOnly && <button type="button" className="primary" data-shortcut="new" aria-keyshortcuts="n" onClick={() => openRecord('new')}>New record</button>}
      </div>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <form className="row" style={{ marginBottom: 10, alignItems: 'flex-start' }} onSubmit={(e) => { e.preventDefault(); if (!checkFilter(filter)) { if (filter === applied) void load(); else go({ filter, page: 1 }); } }} aria-label="Record filter">
        <div className="grow" data-shortcut="search"><RuleInput label="Filter" value={filter} nullable={false} placeholder="e.g. title ~ 'hello' && views > 10" words={filterWordsOf(collection, all)} serverError={filter === applied ? filterError : ''} onChange={(v) => setFilter(v ?? '')} /></div>
        <button type="submit" style={{ marginTop: 22 }}>Apply</button>
      </form>
      {selected.size > 0 && !readOnly && collection && <BulkActions collection={collection} ids={[...selected]} onResult={bulkDone} />}
      <RecordsTable name={name} collection={collection} columns={columns} items={items} sort={sort} onSort={toggleSort}
        selected={selected} onSelect={onSelect} onSelectAll={(on) => setSelected(on ? new Set(items.map((r) => r.id)) : new Set())}
        linkFor={linkFor} onOpen={onOpen} fileToken={fileToken} collections={byId} widths={widths} onWidth={setWidth}
        onChanged={load} onMessage={onMessage} scrollKey={`${page}|${perPage}|${sort}|${applied}`}
        empty={list ? 'No records.' : error ? 'No records shown: the request was refused (see the message above).' : null} />
      {list && (
        <div className="row pager-row">
          <Pager page={list.page} totalPages={list.totalPages} count={plural(list.totalItems, 'record')} onPage={(p) => go({ page: p })} />
          <label className="inline"><span>Per page</span>
            <select value={perPage} onChange={(e) => go({ perPage: Number(e.target.value), page: 1 })}>{PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}</select>
          </label>
          {list.totalPages > 1 && <JumpToPage totalPages={list.totalPages} onPage={(p) => go({ page: p })} />}
        </div>
      )}
      {editing && collection && (
        <RecordForm key={editing === 'new' ? 'new' : editing.id} collection={collection} record={editing === 'new' ? null : editing}
          onClose={closeRecord}
          onDelete={editing === 'new' ? undefined : () => deleteOne(editing)}
          onSaved={() => { closeRecord(); setOk('Saved.'); void load(); }} />
      )}
      {confirmDialog}
    </div>
    </div>
  );
}

function JumpToPage({ totalPages, onPage }: { totalPages: number; onPage: (p: number) => void }) {
  const [v, setV] = useState('');
  return (
    <form className="row" aria-label="Jump to page" onSubmit={(e) => { e.preventDefault(); const n = Math.trunc(Number(v)); if (n >= 1) { onPage(Math.min(n, totalPages)); setV(''); } }}>
      <label className="inline"><span>Go to page</span>
        <input type="number" min={1} max={totalPages} step={1} value={v} onChange={(e) => setV(e.target.value)} style={{ width: 80 }} />
      </label>
      <button type="submit">Go</button>
    </form>
  );
}
