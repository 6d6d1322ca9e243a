// Export collections as JSON (PocketBase's format) and import them back, with what the import changes shown first.
import { useState } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { diffImport, exportable, parseImport, type CollectionDiff } from '../lib/collectionDiff';
import { Modal, Notice } from './ui';

export function ExportDialog({ collections, onClose }: { collections: CollectionModel[]; onClose: () => void }) {
  const [picked, setPicked] = useState<Set<string>>(() => new Set(collections.filter((c) => !c.system).map((c) => c.id)));
  const chosen = collections.filter((c) => picked.has(c.id));
  const json = JSON.stringify(exportable(chosen), null, 2);
  const url = `data:application/json;charset=utf-8,${encodeURIComponent(json)}`;
  return (
    <Modal title="Export collections" onClose={onClose}>
      <fieldset className="check-list">
        <legend className="muted">Collections to export</legend>
        {collections.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={picked.has(c.id)} onChange={(e) => { const s = new Set(picked); if (e.target.checked) s.add(c.id); else s.delete(c.id); setPicked(s); }} />
            <span>{c.name}{c.system ? ' (system)' : ''}</span>
          </label>
        ))}
      </fieldset>
      <label><span>JSON ({chosen.length} {chosen.length === 1 ? 'collection' : 'collections'})</span>
        <textarea readOnly value={json} rows={12} className="mono" />
      </label>
      <div className="row">
        <button type="button" onClick={onClose}>Close</button>
        <a className="btn primary" href={url} download="pb_schema.json" aria-disabled={chosen.length === 0}>Download JSON</a>
      </div>
    </Modal>
  );
}

export function ImportDialog({ collections, onClose, onImported }: { collections: CollectionModel[]; onClose: () => void; onImported: () => void }) {
  const [text, setText] = useState('');
  const [deleteMissing, setDeleteMissing] = useState(false);
  const [diff, setDiff] = useState<CollectionDiff[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  function review() {
    setError('');
    try {
      setDiff(diffImport(collections, parseImport(text), deleteMissing));
    } catch (e) {
      setDiff(null);
      setError(`Not valid: ${(e as Error).message}`);
    }
  }

  async function apply() {
    setBusy(true);
    setError('');
    try {
      await pb().collections.import(parseImport(text) as unknown as CollectionModel[], deleteMissing);
      onImported();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const changes = (diff ?? []).filter((d) => d.kind !== 'same');
  return (
    <Modal title="Import collections" onClose={onClose}>
      <Notice kind="error">{error}</Notice>
      <label><span>A file exported here or by PocketBase (pb_schema.json)</span>
        <input type="file" accept="application/json,.json" onChange={async (e) => { const f = e.target.files?.[0]; if (f) { setText(await f.text()); setDiff(null); } }} />
      </label>
      <label><span>or paste the JSON</span>
        <textarea className="mono" rows={8} value={text} onChange={(e) => { setText(e.target.value); setDiff(null); }} />
      </label>
      <label className="check"><input type="checkbox" checked={deleteMissing} onChange={(e) => { setDeleteMissing(e.target.checked); setDiff(null); }} />
        <span>Delete the collections (and their records) that are not in the import</span></label>
      {diff && (
        <div className="panel" aria-label="Changes" role="region">
          <h3 style={{ marginTop: 0 }}>What the import changes</h3>
          {changes.length === 0 ? <p className="muted">Nothing: the collections are already like this.</p> : (
            <ul className="diff">
              {changes.map((d) => <li key={`${d.kind}-${d.name}`} className={`diff-${d.kind}`}><DiffLine d={d} /></li>)}
            </ul>
          )}
          {diff.some((d) => d.kind === 'same') && <p className="muted">Unchanged: {diff.filter((d) => d.kind === 'same').map((d) => d.name).join(', ')}</p>}
        </div>
      )}
      <div className="row">
        <button type="button" onClick={onClose}>Cancel</button>
        {!diff
          ? <button type="button" className="primary" disabled={!text.trim()} onClick={review}>Review changes</button>
          : <button type="button" className={changes.some((d) => d.kind === 'delete' || (d.kind === 'update' && d.removed.length)) ? 'primary danger-fill' : 'primary'} disabled={busy || changes.length === 0} onClick={apply}>Import</button>}
      </div>
    </Modal>
  );
}

function DiffLine({ d }: { d: CollectionDiff }) {
  switch (d.kind) {
    case 'create': return <><b>{d.name}</b>: new collection ({d.fields.join(', ') || 'no fields'})</>;
    case 'delete': return <><b>{d.name}</b>: deleted with all its records</>;
    case 'same': return <>{d.name}: unchanged</>;
    case 'update': return (
      <><b>{d.name}</b>{d.renamedFrom ? ` (renamed from ${d.renamedFrom})` : ''}:{' '}
        {[d.added.length ? `fields added: ${d.added.join(', ')}` : '', d.removed.length ? `fields removed (data deleted): ${d.removed.join(', ')}` : '',
          d.changed.length ? `fields changed: ${d.changed.join('; ')}` : '', d.other.length ? `changed: ${d.other.join(', ')}` : ''].filter(Boolean).join(' · ')}</>
    );
  }
}
