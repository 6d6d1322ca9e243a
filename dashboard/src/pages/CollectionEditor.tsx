import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText, fieldErrors } from '../lib/session';
import { href, navigate } from '../lib/router';
import { FIELD_TYPES, newField, type FieldSchema } from '../lib/fieldTypes';
import { checkFilter } from '../lib/filterSyntax';
import { riskyChanges, type SchemaChange } from '../lib/schemaChanges';
import { FieldEditor } from '../components/FieldEditor';
import { RuleInput } from '../components/RuleInput';
import { Confirm, Notice } from '../components/ui';

const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
const AUTH_RULES = ['authRule', 'manageRule'] as const;
type RuleKey = (typeof RULES)[number] | (typeof AUTH_RULES)[number];

type Draft = {
  name: string;
  type: 'base' | 'auth' | 'view';
  fields: FieldSchema[];
  rules: Partial<Record<RuleKey, string | null>>;
  indexes: string;
  viewQuery: string;
};

function toDraft(c: CollectionModel): Draft {
  const rules: Draft['rules'] = {};
  for (const k of [...RULES, ...AUTH_RULES]) if (k in c) rules[k] = (c as unknown as Record<string, string | null>)[k];
  return {
    name: c.name,
    type: c.type as Draft['type'],
    fields: c.fields.map((f) => ({ ...f }) as FieldSchema),
    rules,
    indexes: (c.indexes ?? []).join('\n'),
    viewQuery: (c as unknown as { viewQuery?: string }).viewQuery ?? '',
  };
}

const EMPTY: Draft = { name: '', type: 'base', fields: [], rules: { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null }, indexes: '', viewQuery: '' };

export function CollectionEditor({ idOrName }: { idOrName: string }) {
  const isNew = idOrName === 'new';
  const [saved, setSaved] = useState<CollectionModel | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [all, setAll] = useState<CollectionModel[]>([]);
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<SchemaChange[] | null>(null);
  const [newType, setNewType] = useState('text');

  useEffect(() => {
    pb().collections.getFullList({ sort: 'name' }).then(setAll).catch(() => {});
    if (!isNew) pb().collections.getOne(idOrName).then((c) => { setSaved(c); setDraft(toDraft(c)); }).catch((e) => setError(errorText(e)));
  }, [idOrName, isNew]);

  const fieldNames = useMemo(() => ['id', ...draft.fields.map((f) => f.name).filter((n) => n && n !== 'id')], [draft.fields]);
  const ruleKeys: RuleKey[] = draft.type === 'auth' ? [...RULES, ...AUTH_RULES] : draft.type === 'view' ? ['listRule', 'viewRule'] : [...RULES];
  const syntaxBad = ruleKeys.some((k) => { const r = draft.rules[k]; return r != null && checkFilter(r) !== null; });

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setField = (i: number, f: FieldSchema) => update({ fields: draft.fields.map((x, j) => (j === i ? f : x)) });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (syntaxBad) { setError('Fix the rule syntax errors before saving.'); return; }
    const risky = saved ? riskyChanges(saved.fields as FieldSchema[], draft.fields) : [];
    if (risky.length) setConfirm(risky);
    else void save();
  }

  async function save() {
    setConfirm(null);
    setBusy(true);
    setError('');
    setErrors({});
    setOk('');
    const body: Record<string, unknown> = {
      name: draft.name.trim(),
      type: draft.type,
      indexes: draft.indexes.split('\n').map((s) => s.trim()).filter(Boolean),
      ...Object.fromEntries(ruleKeys.map((k) => [k, draft.rules[k] ?? null])),
    };
    if (draft.type === 'view') body.viewQuery = draft.viewQuery;
    else body.fields = draft.fields;
    try {
      const c = isNew ? await pb().collections.create(body) : await pb().collections.update(saved!.id, body);
      setSaved(c);
      setDraft(toDraft(c));
      setOk('Saved.');
      if (isNew) navigate('collections', c.name);
    } catch (err) {
      setError(errorText(err));
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!saved || !window.confirm(`Delete collection "${saved.name}" and all its records?`)) return;
    try {
      await pb().collections.delete(saved.id);
      navigate('collections');
    } catch (err) {
      setError(errorText(err));
    }
  }

  const others = all.filter((c) => c.id !== saved?.id);
  return (
    <form onSubmit={submit} aria-label="Collection">
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>{isNew ? 'New collection' : `Collection ${saved?.name ?? ''}`}</h1>
        {saved && <a className="btn" href={href('records', saved.name)}>Records</a>}
        {saved && !saved.system && <button type="button" className="danger" onClick={remove}>Delete</button>}
        <button type="submit" className="primary" disabled={busy}>Save</button>
      </div>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      <div className="panel grid2">
        <label><span>Name</span>
          <input value={draft.name} required disabled={!!saved?.system} onChange={(e) => update({ name: e.target.value })} aria-invalid={errors.name ? true : undefined} />
          {errors.name && <span className="error">{errors.name}</span>}
        </label>
        <label><span>Type</span>
          <select value={draft.type} disabled={!isNew} onChange={(e) => update({ type: e.target.value as Draft['type'] })}>
            <option value="base">base</option><option value="auth">auth</option><option value="view">view</option>
          </select>
        </label>
      </div>

      {draft.type === 'view' ? (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>View query</h2>
          <label><span>SELECT statement (must return an id column)</span>
            <textarea value={draft.viewQuery} onChange={(e) => update({ viewQuery: e.target.value })} />
          </label>
          {errors.viewQuery && <div className="error">{errors.viewQuery}</div>}
        </div>
      ) : (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Fields</h2>
          {draft.fields.map((f, i) => (
            <FieldEditor key={f.id ?? `new-${i}`} field={f} index={i} collections={others.concat(saved ? [saved] : [])}
              error={Object.entries(errors).filter(([k]) => k.startsWith(`fields.${i}.`)).map(([, v]) => v).join(' ')}
              onChange={(nf) => setField(i, nf)} onRemove={() => update({ fields: draft.fields.filter((_, j) => j !== i) })} />
          ))}
          <div className="row">
            <select aria-label="New field type" value={newType} onChange={(e) => setNewType(e.target.value)} style={{ width: 140 }}>
              {Object.keys(FIELD_TYPES).map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
            <button type="button" onClick={() => update({ fields: [...draft.fields, newField(newType, draft.fields.map((f) => f.name))] })}>Add field</button>
          </div>
        </div>
      )}

      <div className="panel">
        <h2 style={{ marginTop: 0 }}>API rules</h2>
        <p className="muted" style={{ marginTop: 0 }}>Filter expressions; empty lets everyone, locked lets superusers only. Type to complete field names.</p>
        {ruleKeys.map((k) => (
          <RuleInput key={k} label={k} value={draft.rules[k] ?? null} fields={fieldNames} serverError={errors[k]}
            onChange={(v) => update({ rules: { ...draft.rules, [k]: v } })} />
        ))}
      </div>

      {draft.type !== 'view' && (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Indexes</h2>
          <label><span>One per line: CREATE [UNIQUE] INDEX name ON {draft.name || 'collection'} (column)</span>
            <textarea value={draft.indexes} onChange={(e) => update({ indexes: e.target.value })} />
          </label>
          {Object.entries(errors).filter(([k]) => k.startsWith('indexes')).map(([k, v]) => <div key={k} className="error">{v}</div>)}
        </div>
      )}

      {confirm && (
        <Confirm title="Confirm schema change" confirmLabel="Save anyway" onCancel={() => setConfirm(null)} onConfirm={() => void save()}
          message={<>
            <p>This change affects existing data and the clients that use it:</p>
            <ul>
              {confirm.map((c) => <li key={c.field}>{c.kind === 'remove'
                ? <>field <b>{c.field}</b> is removed: its data is deleted for good</>
                : <>field <b>{c.field}</b> is renamed to <b>{c.to}</b>: filters, rules and apps using the old name stop working</>}</li>)}
            </ul>
          </>} />
      )}
    </form>
  );
}
