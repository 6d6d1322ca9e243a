import { lazy, Suspense, useId, useRef, useState, type FormEvent } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb, errorText, fieldErrors } from '../lib/session';
import { isMultiple, type FieldSchema } from '../lib/fieldTypes';
import { Modal, Notice, useFocusFirstError } from './ui';
import { RecordInfo } from './RecordInfo';
import { RelationPicker } from './RelationPicker';

type Values = Record<string, unknown>;

/** The rich-text editor of `editor` fields, in its own chunk (Tiptap and DOMPurify load when one is shown). */
const RichTextEditor = lazy(() => import('./RichTextEditor'));

/** Create or edit one record: an input for every field type, file uploads and removals, JSON checked before sending. */
export function RecordForm({ collection, record, onSaved, onClose, onDelete }: {
  collection: CollectionModel;
  onDelete?: () => void;
  record: RecordModel | null;
  onSaved: (r: RecordModel) => void;
  onClose: () => void;
}) {
  const fields = (collection.fields as FieldSchema[]).filter((f) => editable(f, collection));
  const [values, setValues] = useState<Values>(() => initial(fields, record));
  const [files, setFiles] = useState<Record<string, File[]>>({});
  const [removed, setRemoved] = useState<Record<string, string[]>>({});
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: unknown) => setValues((s) => ({ ...s, [k]: v }));
  const form = useRef<HTMLFormElement>(null);
  const uid = useId();
  useFocusFirstError(form, error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    setErrors({});
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (f.type === 'file') continue;
      if (f.type === 'password' && !v) continue;
      try { body[f.name] = apiValue(f, v); } catch (err) {
        setErrors({ [f.name]: (err as Error).message });
        setError(`Field ${f.name} is not valid JSON.`);
        return;
      }
    }
    if (collection.type === 'auth' && values.passwordConfirm) body.passwordConfirm = values.passwordConfirm;
    for (const [name, list] of Object.entries(files)) if (list.length) body[name] = list;
    for (const [name, list] of Object.entries(removed)) if (list.length) body[`${name}-`] = list;
    setBusy(true);
    try {
      const svc = pb().collection(collection.name);
      const saved = record ? await svc.update(record.id, body) : await svc.create(body);
      onSaved(saved);
    } catch (err) {
      setError(errorText(err));
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal side title={record ? `Edit ${collection.name} record` : `New ${collection.name} record`} onClose={onClose}>
      <form onSubmit={submit} aria-label="Record" ref={form} noValidate>
        <Notice kind="error">{error}</Notice>
        {record && <RecordInfo record={record} />}
        {fields.map((f) => (
          <div key={f.name}>
            <FieldInput field={f} value={values[f.name]} record={record}
              a11y={{
                required: f.required && f.type !== 'bool' && f.type !== 'file' && !(f.type === 'password' && record) ? true : undefined,
                'aria-invalid': errors[f.name] ? true : undefined,
                'aria-describedby': errors[f.name] ? `${uid}-${f.name}-err` : undefined,
              }}
              onChange={(v) => set(f.name, v)}
              onFiles={(list) => setFiles((s) => ({ ...s, [f.name]: list }))}
              removed={removed[f.name] ?? []}
              onRemoveFile={(name) => setRemoved((s) => ({ ...s, [f.name]: [...(s[f.name] ?? []), name] }))} />
            {f.type === 'password' && collection.type === 'auth' && (
              <label><span>Confirm password</span>
                <input type="password" autoComplete="new-password" value={String(values.passwordConfirm ?? '')} onChange={(e) => set('passwordConfirm', e.target.value)} />
              </label>
            )}
            {errors[f.name] && <div id={`${uid}-${f.name}-err`} className="error" style={{ marginTop: -6, marginBottom: 8 }}>{errors[f.name]}</div>}
          </div>
        ))}
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>{record ? 'Save' : 'Create'}</button>
          {onDelete && <button type="button" className="danger" style={{ marginLeft: 'auto' }} onClick={onDelete}>Delete record</button>}
        </div>
      </form>
    </Modal>
  );
}

function editable(f: FieldSchema, c: CollectionModel): boolean {
  if (f.type === 'autodate') return false;
  if (f.name === 'id') return false;
  if (c.type === 'auth' && f.name === 'tokenKey') return false;
  return true;
}

function initial(fields: FieldSchema[], record: RecordModel | null): Values {
  return Object.fromEntries(fields.map((f) => [f.name, formValue(f, record?.[f.name])]));
}

/** What a field's input holds for the stored value `cur` (JSON as text, passwords empty, lists for multiple values). */
export function formValue(f: FieldSchema, cur: unknown): unknown {
  if (f.type === 'json') return cur === undefined || cur === null ? '' : JSON.stringify(cur, null, 2);
  if (f.type === 'password') return '';
  if (f.type === 'bool') return !!cur;
  if (f.type === 'geoPoint') return cur ?? { lon: 0, lat: 0 };
  if (isMultiple(f)) return Array.isArray(cur) ? cur : [];
  return cur ?? '';
}

/** The value sent to the API for an input's value: JSON parsed (empty is null), numbers as numbers (empty is null). Throws on bad JSON. */
export function apiValue(f: FieldSchema, v: unknown): unknown {
  if (f.type === 'json') {
    const text = String(v ?? '').trim();
    if (text === '') return null;
    try { return JSON.parse(text); } catch (err) { throw new Error(`Invalid JSON: ${(err as Error).message}`); }
  }
  if (f.type === 'number') return v === '' || v == null ? null : Number(v);
  return v;
}

export type A11y = { required?: boolean; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

export function FieldInput({ field: f, value, record, onChange, onFiles, removed, onRemoveFile, a11y }: {
  field: FieldSchema; value: unknown; record: RecordModel | null; a11y: A11y;
  onChange: (v: unknown) => void; onFiles: (f: File[]) => void; removed: string[]; onRemoveFile: (name: string) => void;
}) {
  const label = <span>{f.name} <span className="muted">({f.type}{f.required ? ', required' : ''})</span></span>;
  switch (f.type) {
    case 'bool':
      return <label className="check"><input {...a11y} type="checkbox" name={f.name} checked={!!value} onChange={(e) => onChange(e.target.checked)} /><span>{f.name}</span></label>;
    case 'number':
      return <label>{label}<input {...a11y} type="number" step="any" name={f.name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} /></label>;
    case 'editor':
      return <div className="rte-field">{label}
        <Suspense fallback={<p className="muted" role="status">Loading the editor…</p>}>
          <RichTextEditor label={`${f.name} (editor)`} value={String(value ?? '')} onChange={onChange} required={a11y.required}
            invalid={a11y['aria-invalid']} describedBy={a11y['aria-describedby']} />
        </Suspense>
      </div>;
    case 'json':
      return <label>{label}<textarea {...a11y} name={f.name} className="mono" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} placeholder='{"key": "value"}' /></label>;
    case 'password':
      return <label>{label}<input {...a11y} type="password" name={f.name} autoComplete="new-password" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} placeholder={record ? 'unchanged' : ''} /></label>;
    case 'email':
    case 'url':
      return <label>{label}<input {...a11y} type={f.type} name={f.name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} /></label>;
    case 'date':
      return <label>{label}<input {...a11y} name={f.name} value={String(value ?? '')} placeholder="2025-01-31 12:00:00.000Z" onChange={(e) => onChange(e.target.value)} /></label>;
    case 'select': {
      const values = (f.values as string[]) ?? [];
      if (isMultiple(f)) {
        return <label>{label}<select {...a11y} multiple name={f.name} value={(value as string[]) ?? []} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
          {values.map((v) => <option key={v} value={v}>{v}</option>)}</select></label>;
      }
      return <label>{label}<select {...a11y} name={f.name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>{values.map((v) => <option key={v} value={v}>{v}</option>)}</select></label>;
    }
    case 'relation':
      return <RelationPicker field={f} value={value} onChange={onChange} a11y={a11y} />;
    case 'geoPoint': {
      const p = (value as { lon: number; lat: number }) ?? { lon: 0, lat: 0 };
      return <div className="row">
        <label className="grow"><span>{f.name} longitude</span><input {...a11y} type="number" step="any" value={p.lon} onChange={(e) => onChange({ ...p, lon: Number(e.target.value) })} /></label>
        <label className="grow"><span>{f.name} latitude</span><input {...a11y} type="number" step="any" value={p.lat} onChange={(e) => onChange({ ...p, lat: Number(e.target.value) })} /></label>
      </div>;
    }
    case 'file': {
      const current = record ? ([] as string[]).concat((record[f.name] as string | string[]) || []).filter(Boolean) : [];
      return <div style={{ marginBottom: 10 }}>
        <label style={{ marginBottom: 4 }}>{label}
          <input {...a11y} type="file" name={f.name} multiple={isMultiple(f)} onChange={(e) => onFiles([...(e.target.files ?? [])])} />
        </label>
        {current.filter((n) => !removed.includes(n)).map((n) => (
          <div key={n} className="row">
            <a href={pb().files.getURL(record!, n)} target="_blank" rel="noreferrer">{n}</a>
            <button type="button" className="danger" onClick={() => onRemoveFile(n)} aria-label={`Remove file ${n}`}>Remove</button>
          </div>
        ))}
      </div>;
    }
    default:
      return <label>{label}<input {...a11y} name={f.name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} /></label>;
  }
}
