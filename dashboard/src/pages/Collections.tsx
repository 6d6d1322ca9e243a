import { useEffect, useState } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { href } from '../lib/router';
import { Notice } from '../components/ui';
import { ExportDialog, ImportDialog } from '../components/CollectionsTransfer';
import { useHideControls } from '../lib/uiSettings';

export function CollectionsPage() {
  const [items, setItems] = useState<CollectionModel[] | null>(null);
  const [error, setError] = useState('');
  const [showSystem, setShowSystem] = useState(false);
  const [dialog, setDialog] = useState<'import' | 'export' | null>(null);
  const [ok, setOk] = useState('');
  const hideControls = useHideControls();

  const load = () => pb().collections.getFullList({ sort: 'name' }).then(setItems).catch((e) => setError(errorText(e)));
  useEffect(() => { void load(); }, []);

  const shown = (items ?? []).filter((c) => showSystem || !c.system);
  return (
    <div>
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>Collections</h1>
        {!hideControls && <button type="button" onClick={() => setDialog('import')} disabled={!items}>Import</button>}
        <button type="button" onClick={() => setDialog('export')} disabled={!items}>Export</button>
        {!hideControls && <a className="btn primary" data-shortcut="new" aria-keyshortcuts="n" href={href('collections', 'new')}>New collection</a>}
      </div>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      {dialog === 'export' && items && <ExportDialog collections={items} onClose={() => setDialog(null)} />}
      {dialog === 'import' && items && <ImportDialog collections={items} onClose={() => setDialog(null)} onImported={() => { setDialog(null); setOk('Imported.'); void load(); }} />}
      <label className="check"><input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /><span>Show system collections</span></label>
      {items === null ? <p className="muted">Loading…</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th>Name</th><th>Type</th><th>Fields</th><th></th></tr></thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td><a href={href('records', c.name)}>{c.name}</a></td>
                  <td><span className="badge">{c.type}</span></td>
                  <td className="muted">{c.fields.map((f) => f.name).join(', ')}</td>
                  <td><a href={href('collections', c.name)}>{hideControls ? 'View schema' : 'Edit schema'}</a></td>
                </tr>
              ))}
              {shown.length === 0 && <tr><td colSpan={4} className="muted">No collections yet.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
