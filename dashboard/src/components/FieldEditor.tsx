import { useId } from 'react';
import type { CollectionModel } from 'pocketbase';
import { FIELD_TYPES, hasRequired, type FieldSchema, type OptionSpec } from '../lib/fieldTypes';

/** One field of a collection: name, type, flags and the options of its type. */
export function FieldEditor({ field, index, collections, errors = {}, onChange, onRemove }: {
  field: FieldSchema;
  index: number;
  collections: CollectionModel[];
  /** The server's (or the form's) errors of this field, keyed by option ("name", "pattern", ...). */
  errors?: Record<string, string>;
  onChange: (f: FieldSchema) => void;
  onRemove: () => void;
}) {
  const set = (key: string, v: unknown) => onChange({ ...field, [key]: v });
  const specs = FIELD_TYPES[field.type] ?? [];
  const system = !!field.system;
  const uid = useId();
  const tie = (key: string) => (errors[key] ? { 'aria-invalid': true as const, 'aria-describedby': `${uid}-${key}` } : {});
  const shown = new Set(['name', ...specs.map((s) => s.key)]);
  const other = Object.entries(errors).filter(([k]) => !shown.has(k));
  return (
    <fieldset className="field-card" data-field={field.name} aria-label={`Field ${field.name}`}>
      <div className="row">
        <label className="grow" style={{ margin: 0 }}><span>Name</span>
          <input aria-label={`Name of field ${index + 1}`} value={field.name} disabled={system} required onChange={(e) => set('name', e.target.value)} {...tie('name')} />
        </label>
        <label style={{ margin: 0, width: 130 }}><span>Type</span>
          <select aria-label={`Type of field ${index + 1}`} value={field.type} disabled={system || !!field.id} onChange={(e) => onChange({ name: field.name, type: e.target.value, required: field.required, hidden: field.hidden, presentable: field.presentable })}>
            {Object.keys(FIELD_TYPES).map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {!system && <button type="button" className="danger" style={{ alignSelf: 'flex-end' }} onClick={onRemove} aria-label={`Remove field ${field.name}`}>Remove</button>}
      </div>
      {errors.name && <div id={`${uid}-name`} className="error">{errors.name}</div>}
      {other.map(([k, v]) => <div key={k} className="error">{k}: {v}</div>)}
      <div className="row" style={{ marginTop: 6 }}>
        {hasRequired(field.type) && <Flag label="Required" checked={!!field.required} onChange={(v) => set('required', v)} />}
        <Flag label="Hidden" checked={!!field.hidden} onChange={(v) => set('hidden', v)} />
        <Flag label="Presentable" checked={!!field.presentable} onChange={(v) => set('presentable', v)} />
      </div>
      {specs.length > 0 && (
        <div className="grid2" style={{ marginTop: 6 }}>
          {specs.map((s) => <OptionInput key={s.key} spec={s} value={field[s.key]} collections={collections} onChange={(v) => set(s.key, v)}
            error={errors[s.key]} errorId={`${uid}-${s.key}`} />)}
        </div>
      )}
    </fieldset>
  );
}

function Flag({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="check" style={{ margin: 0 }}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /><span>{label}</span>
    </label>
  );
}

function OptionInput({ spec, value, collections, onChange, error, errorId }: {
  spec: OptionSpec; value: unknown; collections: CollectionModel[]; onChange: (v: unknown) => void; error?: string; errorId: string;
}) {
  const tie = error ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
  const message = error ? <span id={errorId} className="error">{error}</span> : null;
  switch (spec.kind) {
    case 'bool':
      return <div><Flag label={spec.label} checked={!!value} onChange={onChange} />{message}</div>;
    case 'number':
      return (
        <div><label><span>{spec.label}</span>
          <input type="number" placeholder={spec.hint} value={value === undefined || value === null ? '' : String(value)}
            onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} {...tie} />
        </label>{message}</div>
      );
    case 'list':
      return (
        <div><label><span>{spec.label} (comma separated)</span>
          <input placeholder={spec.hint} defaultValue={Array.isArray(value) ? value.join(', ') : ''}
            onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} {...tie} />
        </label>{message}</div>
      );
    case 'collection':
      return (
        <div><label><span>{spec.label}</span>
          <select value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} {...tie}>
            <option value="">— choose —</option>
            {collections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>{message}</div>
      );
    default:
      return (
        <div><label><span>{spec.label}</span>
          <input placeholder={spec.hint} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} {...tie} />
        </label>{message}</div>
      );
  }
}
