// What can be done to the selected records at once: set one field to a value, export them as JSON, delete them (one
// confirmation). Each record is its own API call (the records API has no batch here), so one refused record does
// not stop the others: the ones that failed are named with the server's message and stay selected.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import type { FieldSchema } from '../lib/fieldTypes';
import { FieldInput, apiValue, formValue } from './RecordForm';
import { Modal, Notice, plural, useConfirm } from './ui';

/** The outcome of one bulk action: ids done and ids refused (with the server's message). */
export type BulkResult = { action: string; done: string[]; failed: { id: string; message: string }[] };

/** Runs `op` for each id in turn (a few at a time), collecting the failures instead of stopping at the first one. */
async function eachRecord(ids: string[], op: (id: string) => Promise<unknown>): Promise<Omit<BulkResult, 'action'>> {
  const done: string[] = [];
  const failed: BulkResult['failed'] = [];
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try { await op(id); done.push(id); } catch (e) { failed.push({ id, message: errorText(e) }); }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  // Reported in the order of the selection.
  failed.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  return { done, failed };
}

/** Fields a bulk "set" can write: not files or passwords, not the id or server-set fields. */
function settable(f: FieldSchema, c: CollectionModel): boolean {
  if (['file', 'password', 'autodate'].includes(f.type) || f.name === 'id') return false;
  return !(c.type === 'auth' && f.name === 'tokenKey');
}

export function BulkActions({ collection, ids, onResult }: {
  collection: CollectionModel;
  /** The selected record ids (from any page). */
  ids: string[];
  onResult: (r: BulkResult) => void;
}) {
  const [dialog, setDialog] = useState<'set' | 'export' | null>(null);
  const [confirmDialog, ask] = useConfirm();
  const [busy, setBusy] = useState(false);
  const svc = pb().collection(collection.name);

  async function remove() {
    if (!(await ask({ title: 'Delete records?', message: `Delete ${plural(ids.length, 'record')} of ${collection.name}? This cannot be undone.`, confirmLabel: 'Delete' }))) return;
    setBusy(true);
    const r = await eachRecord(ids, (id) => svc.delete(id));
    setBusy(false);
    onResult({ action: 'Deleted', ...r });
  }

  return (
    <div className="row bulk-bar" role="region" aria-label="Selected records">
      <span>{ids.length} selected</span>
      <button type="button" disabled={busy} onClick={() => setDialog('set')}>Set field…</button>
      <button type="button" disabled={busy} onClick={() => setDialog('export')}>Export JSON…</button>
      <button type="button" className="danger" disabled={busy} onClick={remove}>Delete selected</button>
      {busy && <span className="muted" role="status">Working…</span>}
      {dialog === 'set' && (
        <SetFieldDialog collection={collection} count={ids.length} onClose={() => setDialog(null)}
          onApply={async (name, value) => {
            const r = await eachRecord(ids, (id) => svc.update(id, { [name]: value }));
            setDialog(null);
            onResult({ action: `Set ${name} on`, ...r });
          }} />
      )}
      {dialog === 'export' && <ExportRecordsDialog collection={collection} ids={ids} onClose={() => setDialog(null)} />}
      {confirmDialog}
    </div>
  );
}

function SetFieldDialog({ collection, count, onApply, onClose }: {
  collection: CollectionModel; count: number; onApply: (field: string, value: unknown) => Promise<void>; onClose: () => void;
}) {
  const fields = (collection.fields as FieldSchema[]).filter((f) => settable(f, collection));
  const [name, setName] = useState(fields[0]?.name ?? '');
  const field = fields.find((f) => f.name === name);
  const [value, setValue] = useState<unknown>(() => (field ? formValue(field, undefined) : ''));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const uid = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!field) return;
    let v: unknown;
    try { v = apiValue(field, value); } catch (err) { setError((err as Error).message); return; }
    setBusy(true);
    try { await onApply(field.name, v); } finally { setBusy(false); }
  }

  return (
    <Modal title={`Set a field on ${plural(count, 'record')}`} onClose={onClose}>
      <form onSubmit={submit} aria-label="Value for the selected records" noValidate>
        <label><span>Field</span>
          <select value={name} onChange={(e) => { const f = fields.find((x) => x.name === e.target.value); setName(e.target.value); setValue(f ? formValue(f, undefined) : ''); setError(''); }}>
            {fields.map((f) => <option key={f.name} value={f.name}>{f.name} ({f.type})</option>)}
          </select>
        </label>
        {field && (
          <FieldInput key={field.name} field={field} value={value} record={null} onChange={(v) => { setValue(v); setError(''); }}
            onFiles={() => {}} removed={[]} onRemoveFile={() => {}}
            a11y={{ 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${uid}-err` : undefined }} />
        )}
        {error && <div id={`${uid}-err`} className="error">{error}</div>}
        <p className="muted">Each record is saved on its own: a record the server refuses keeps its value and is named afterwards.</p>
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !field}>{busy ? 'Saving…' : `Set on ${plural(count, 'record')}`}</button>
        </div>
      </form>
    </Modal>
  );
}

/** The selected records as a JSON array (as the API returns them), fetched 50 ids a request. */
function ExportRecordsDialog({ collection, ids, onClose }: { collection: CollectionModel; ids: string[]; onClose: () => void }) {
  const [records, setRecords] = useState<RecordModel[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const out: RecordModel[] = [];
        for (let i = 0; i < ids.length; i += 50) {
          const chunk = ids.slice(i, i + 50);
          const params = Object.fromEntries(chunk.map((id, j) => [`id${j}`, id]));
          const filter = pb().filter(chunk.map((_, j) => `id = {:id${j}}`).join(' || '), params);
          out.push(...(await pb().collection(collection.name).getFullList({ filter, batch: 50 })));
        }
        out.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
        if (live) setRecords(out);
      } catch (e) {
        if (live) setError(errorText(e));
      }
    })();
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the same selection (a new array each render) is not fetched again
  }, [collection.name, ids.join(',')]);
  const json = records ? JSON.stringify(records, null, 2) : '';
  return (
    <Modal title={`Export ${plural(ids.length, 'record')}`} onClose={onClose}>
      <Notice kind="error">{error}</Notice>
      {records === null && !error && <p className="muted" role="status">Loading the records…</p>}
      {records && (
        <label><span>JSON ({plural(records.length, 'record')})</span>
          <textarea readOnly value={json} rows={12} className="mono" />
        </label>
      )}
      <div className="row">
        <button type="button" onClick={onClose}>Close</button>
        {records && <a className="btn primary" href={`data:application/json;charset=utf-8,${encodeURIComponent(json)}`} download={`${collection.name}-records.json`}>Download JSON</a>}
      </div>
    </Modal>
  );
}
