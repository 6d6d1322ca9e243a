import type { CollectionModel } from 'pocketbase';
import { FIELD_TYPES, hasRequired, type FieldSchema, type OptionSpec } from '../lib/fieldTypes';

/** One field of a collection: name, type, flags and the options of its type. */
export function FieldEditor({ field, index, collections, error, onChange, onRemove }: {
  field: FieldSchema;
  index: number;
  collections: CollectionModel[];
  error?: string;
  onChange: (f: FieldSchema) => void;
  onRemove: () => void;
}) {
  const set = (key: string, v: unknown) => onChange({ ...field, [key]: v });
  const specs = FIELD_TYPES[field.type] ?? [];
  const system = !!field.system;
  return (
    <fieldset className="field-card" data-field={field.name} aria-label={`Field ${field.name}`}>
      <div className="row">
        <label className="grow" style={{ margin: 0 }}><span>Name</span>
          <input aria-label={`Name of field ${index + 1}`} value={field.name} disabled={system} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label style={{ margin: 0, width: 130 }}><span>Type</span>
          <select aria-label={`Type of field ${index + 1}`} value={field.type} disabled={system || !!field.id} onChange={(e) => onChange({ name: field.name, type: e.target.value, required: field.required, hidden: field.hidden, presentable: field.presentable })}>
            {Object.keys(FIELD_TYPES).map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {!system && <button type="button" className="danger" style={{ alignSelf: 'flex-end' }} onClick={onRemove} aria-label={`Remove field ${field.name}`}>Remove</button>}
      </div>
      {error && <div className="error">{error}</div>}
      <div className="row" style={{ marginTop: 6 }}>
        {hasRequired(field.type) && <Flag label="Required" checked={!!field.required} onChange={(v) => set('required', v)} />}
        <Flag label="Hidden" checked={!!field.hidden} onChange={(v) => set('hidden', v)} />
        <Flag label="Presentable" checked={!!field.presentable} onChange={(v) => set('presentable', v)} />
      </div>
      {specs.length > 0 && (
        <div className="grid2" style={{ marginTop: 6 }}>
          {specs.map((s) => <OptionInput key={s.key} spec={s} value={field[s.key]} collections={collections} onChange={(v) => set(s.key, v)} />)}
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

function OptionInput({ spec, value, collections, onChange }: { spec: OptionSpec; value: unknown; collections: CollectionModel[]; onChange: (v: unknown) => void }) {
  switch (spec.kind) {
    case 'bool':
      return <Flag label={spec.label} checked={!!value} onChange={onChange} />;
    case 'number':
      return (
        <label><span>{spec.label}</span>
          <input type="number" placeholder={spec.hint} value={value === undefined || value === null ? '' : String(value)}
            onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />
        </label>
      );
    case 'list':
      return (
        <label><span>{spec.label} (comma separated)</span>
          <input placeholder={spec.hint} defaultValue={Array.isArray(value) ? value.join(', ') : ''}
            onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} />
        </label>
      );
    case 'collection':
      return (
        <label><span>{spec.label}</span>
          <select value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
            <option value="">— choose —</option>
            {collections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
      );
    default:
      return (
        <label><span>{spec.label}</span>
          <input placeholder={spec.hint} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
        </label>
      );
  }
}
