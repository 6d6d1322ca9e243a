import { useCallback, useEffect, useState } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { href } from '../lib/router';
import type { FieldSchema } from '../lib/fieldTypes';
import { Notice, Pager, useConfirm } from '../components/ui';

const PER_PAGE = 24;
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/** Every file of one collection's file fields: thumbnails, open/download links, delete (records keep the rest). */
export function FilesPage() {
  const [collections, setCollections] = useState<CollectionModel[]>([]);
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [records, setRecords] = useState<{ items: RecordModel[]; totalPages: number } | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [confirmDialog, ask] = useConfirm();

  useEffect(() => {
    pb().collections.getFullList({ sort: 'name' }).then((all) => {
      const withFiles = all.filter((c) => c.type !== 'view' && (c.fields as FieldSchema[]).some((f) => f.type === 'file'));
      setCollections(withFiles);
      if (withFiles.length) setName(withFiles[0].name);
    }).catch((e) => setError(errorText(e)));
  }, []);

  const collection = collections.find((c) => c.name === name);
  const fileFields = ((collection?.fields ?? []) as FieldSchema[]).filter((f) => f.type === 'file');

  const load = useCallback(async () => {
    if (!collection) return;
    try {
      const filter = fileFields.map((f) => `${f.name} != ''`).join(' || ');
      const res = await pb().collection(collection.name).getList(page, PER_PAGE, { filter });
      setRecords(res);
      if (fileFields.some((f) => f.protected)) setToken(await pb().files.getToken());
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, [collection, page]);
  useEffect(() => { void load(); }, [load]);

  async function remove(r: RecordModel, field: string, file: string) {
    if (!collection || !(await ask({ title: 'Delete file?', message: `Delete ${file} from record ${r.id}? The record keeps its other files.`, confirmLabel: 'Delete' }))) return;
    try {
      await pb().collection(collection.name).update(r.id, { [`${field}-`]: [file] });
      setOk(`Deleted ${file}.`);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  const files = (records?.items ?? []).flatMap((r) => fileFields.flatMap((f) =>
    ([] as string[]).concat((r[f.name] as string | string[]) || []).filter(Boolean).map((file) => ({ r, f, file }))));
  return (
    <div>
      <h1>Files</h1>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      {collections.length === 0 ? <p className="muted">No collection has a file field yet.</p> : (
        <label style={{ maxWidth: 320 }}><span>Collection</span>
          <select value={name} onChange={(e) => { setName(e.target.value); setPage(1); }}>
            {collections.map((c) => <option key={c.id}>{c.name}</option>)}
          </select>
        </label>
      )}
      <div className="files">
        {files.map(({ r, f, file }) => {
          const opts = f.protected ? { token } : {};
          return (
            <figure key={`${r.id}/${f.name}/${file}`} className="panel file" aria-label={file}>
              {IMAGE.test(file)
                ? <img alt={file} src={pb().files.getURL(r, file, { ...opts, thumb: '100x100' })} />
                : <div className="file-icon" aria-hidden="true">{file.split('.').pop()?.toUpperCase()}</div>}
              <figcaption>
                <div className="mono" title={file}>{file}</div>
                <div className="muted">{f.name} of <a href={href('records', name)}>{r.id}</a></div>
                <div className="row">
                  <a href={pb().files.getURL(r, file, opts)} target="_blank" rel="noreferrer">Open</a>
                  <a href={pb().files.getURL(r, file, { ...opts, download: true })}>Download</a>
                  <button type="button" className="danger" onClick={() => remove(r, f.name, file)} aria-label={`Delete ${file}`}>Delete</button>
                </div>
              </figcaption>
            </figure>
          );
        })}
      </div>
      {records && files.length === 0 && <p className="muted">No files in {name}.</p>}
      {records && records.totalPages > 1 && <Pager page={page} totalPages={records.totalPages} onPage={setPage} />}
      {confirmDialog}
    </div>
  );
}
