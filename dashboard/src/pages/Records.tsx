import { useCallback, useEffect, useState } from 'react';
import type { CollectionModel, ListResult, RecordModel } from 'pocketbase';
import { pb, errorText, getSession } from '../lib/session';
import { href, setQuery, useQuery } from '../lib/router';
import { checkFilter } from '../lib/filterSyntax';
import { filterWordsOf } from '../lib/filterCompletion';
import type { FieldSchema } from '../lib/fieldTypes';
import { RuleInput } from '../components/RuleInput';
import { RecordForm } from '../components/RecordForm';
import { UserActions } from '../components/UserActions';
import { RecordCell } from '../components/RecordCell';
import { ColumnPicker, useColumns } from '../components/ColumnPicker';
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
  const byId = new Map(all.map((c) => [c.id, c]));

  useEffect(() => {
    pb().collections.getOne(name).then((c) => {
      setCollection(c);
      // Protected files need a short-lived file token in their URL.
      if ((c.fields as FieldSchema[]).some((f) => f.type === 'file' && f.protected)) pb().files.getToken().then(setFileToken).catch(() => {});
    }).catch((e) => setError(errorText(e)));
  }, [name]);

  const fields = ((collection?.fields ?? []) as FieldSchema[]).filter((f) => f.type !== 'password' && f.name !== 'tokenKey');
  const [shownNames, setShownNames] = useColumns(getSession().project, name, fields.filter((f) => f.name !== 'id').map((f) => f.name));
  const columns = shownNames.map((n) => fields.find((f) => f.name === n)!).filter(Boolean);
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
  const allSelected = items.length > 0 && items.every((r) => selected.has(r.id));
  const readOnly = collection?.type === 'view';
  return (
    <div className="records-layout">
    <CollectionsSidebar collections={all} current={name} />
    <div className="records-main">
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>{name}</h1>
        <ColumnPicker all={fields.filter((f) => f.name !== 'id').map((f) => f.name)} shown={shownNames} onChange={setShownNames} />
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
      <div className="table-wrap">
        <table aria-label={`${name} records`}>
          <thead>
            <tr>
              <th style={{ width: 30 }}><input type="checkbox" aria-label="Select all" checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((r) => r.id)) : new Set())} /></th>
              <th><SortButton col="id" sort={sort} onSort={toggleSort} /></th>
              {columns.map((f) => <th key={f.name}><SortButton col={f.name} sort={sort} onSort={toggleSort} /></th>)}
              {collection?.type === 'auth' && <th className="sticky-end">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td><input type="checkbox" aria-label={`Select ${r.id}`} checked={selected.has(r.id)} onChange={(e) => { const s = new Set(selected); if (e.target.checked) s.add(r.id); else s.delete(r.id); setSelected(s); }} /></td>
                <td className="mono">{readOnly ? r.id : <a href={`${href('records', name)}?${new URLSearchParams({ ...Object.fromEntries(query), record: r.id })}`} onClick={(e) => { e.preventDefault(); openRecord(r.id); }}>{r.id}</a>}</td>
                {columns.map((f) => <td key={f.name} className={`cell-${f.type}`}><RecordCell field={f} record={r} token={fileToken} collections={byId} /></td>)}
                {collection?.type === 'auth' && <td className="sticky-end"><UserActions collection={collection} record={r} onChanged={load} onMessage={(m, isError) => (isError ? setError(m) : setOk(m))} /></td>}
              </tr>
            ))}
            {list && items.length === 0 && <tr><td colSpan={columns.length + 2} className="muted">No records.</td></tr>}
            {!list && error && <tr><td colSpan={columns.length + 2} className="muted">No records shown: the request was refused (see the message above).</td></tr>}
          </tbody>
        </table>
      </div>
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

function SortButton({ col, sort, onSort }: { col: string; sort: string; onSort: (c: string) => void }) {
  const mark = sort === col ? ' ▲' : sort === `-${col}` ? ' ▼' : '';
  return <button type="button" className="sort" onClick={() => onSort(col)} aria-label={`Sort by ${col}`}>{col}{mark}</button>;
}
