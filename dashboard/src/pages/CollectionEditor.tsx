import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CollectionModel } from 'pocketbase';
import { pb, errorText, fieldErrors } from '../lib/session';
import { href, navigate, setLeaveGuard } from '../lib/router';
import { FIELD_TYPES, newField, type FieldSchema } from '../lib/fieldTypes';
import { checkFilter } from '../lib/filterSyntax';
import { filterWords, type CollectionInfo } from '../lib/filterCompletion';
import { changesSchema, schemaDiff, type SchemaChange, type SchemaSide } from '../lib/schemaDiff';
import { useHideControls } from '../lib/uiSettings';
import { FieldEditor } from '../components/FieldEditor';
import { AuthOptions, AUTH_KEYS, type AuthDraft } from '../components/AuthOptions';
import { RuleInput } from '../components/RuleInput';
import { Confirm, Notice, useConfirm, useFocusFirstError } from '../components/ui';

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
  /** Auth collections: sign-in methods, token lifetimes, email templates (components/AuthOptions). */
  auth: AuthDraft;
};

function authOf(c: CollectionModel | undefined): AuthDraft {
  const src = (c ?? {}) as unknown as Record<string, unknown>;
  return Object.fromEntries(AUTH_KEYS.filter((k) => src[k] && typeof src[k] === 'object').map((k) => [k, structuredClone(src[k]) as Record<string, unknown>]));
}

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
    auth: authOf(c),
  };
}

/** The fields a new collection of `type` starts with: the scaffold's system fields and, as PocketBase's UI adds them, `created` and `updated`. */
function startFields(scaffolds: Record<string, CollectionModel>, type: Draft['type']): FieldSchema[] {
  const fields = ((scaffolds[type]?.fields ?? []) as FieldSchema[]).map((f) => ({ ...f }));
  if (type === 'view') return [];
  for (const [name, onUpdate] of [['created', false], ['updated', true]] as const) {
    if (!fields.some((f) => f.name === name)) fields.push({ name, type: 'autodate', onCreate: true, onUpdate, hidden: false, presentable: false, system: false });
  }
  return fields;
}

/** Field errors found before sending: empty and duplicated names (the server would name only one of them). */
function localFieldErrors(fields: FieldSchema[]): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Map<string, number>();
  fields.forEach((f, i) => {
    const n = f.name.trim().toLowerCase();
    if (!n) { out[`fields.${i}.name`] = 'A field needs a name.'; return; }
    const first = seen.get(n);
    if (first !== undefined) out[`fields.${i}.name`] = `Duplicated name: field ${first + 1} is also called "${f.name.trim()}".`;
    else seen.set(n, i);
  });
  return out;
}

/** An index of `from` rewritten for the table `to`, with a fresh index name (names are unique per database). */
function renameIndex(sql: string, from: string, to: string): string {
  const suffix = Math.random().toString(36).slice(2, 8);
  return sql
    .replace(/(INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?)([`"]?)([\w]+)\2/i, (_m, head: string, q: string, n: string) => `${head}${q}${n}_${suffix}${q}`)
    .replace(new RegExp(`(\\bON\\s+)([\`"]?)${from}\\2`, 'i'), (_m, on: string, q: string) => `${on}${q}${to}${q}`);
}

/** The editor's state in the terms of lib/schemaDiff (only the rules this type of collection has). */
function sideOf(d: Draft, ruleKeys: RuleKey[]): SchemaSide {
  return {
    name: d.name.trim(), fields: d.type === 'view' ? [] : d.fields, viewQuery: d.viewQuery,
    rules: Object.fromEntries(ruleKeys.map((k) => [k, d.rules[k] ?? null])),
    indexes: d.indexes.split('\n').map((x) => x.trim()).filter(Boolean),
    auth: d.type === 'auth' ? d.auth : undefined,
  };
}

/** The diff of a save, grouped (collection, fields, rules, indexes, auth options); risky lines marked. */
function SchemaChanges({ changes }: { changes: SchemaChange[] }) {
  const areas = [...new Set(changes.map((c) => c.area))];
  const risky = changes.some((c) => c.risky);
  return (
    <div className="schema-diff">
      <p style={{ marginTop: 0 }}>{risky ? 'This change affects existing data and the clients that use it. Review it before saving:' : 'Review the change before saving:'}</p>
      {areas.map((a) => (
        <section key={a} aria-label={a}>
          <h3>{a}</h3>
          <ul className="diff">
            {changes.filter((c) => c.area === a).map((c, i) => (
              <li key={i} className={c.risky ? 'diff-delete' : undefined}>{c.risky && <b>Risky: </b>}{c.text}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

const EMPTY: Draft = { name: '', type: 'base', fields: [], rules: { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null }, indexes: '', viewQuery: '', auth: {} };

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
  const [baseline, setBaseline] = useState<Draft>(EMPTY);
  const [scaffolds, setScaffolds] = useState<Record<string, CollectionModel> | null>(null);
  const [confirmDialog, ask] = useConfirm();
  // meta.hideControls: the schema is shown read-only, with no create/save/duplicate/truncate/delete.
  const hideControls = useHideControls();
  const readOnly = hideControls;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, errors);
  useFocusFirstError(form, error);

  useEffect(() => {
    pb().collections.getFullList({ sort: 'name' }).then(setAll).catch(() => {});
    if (!isNew) pb().collections.getOne(idOrName).then((c) => { setSaved(c); setDraft(toDraft(c)); setBaseline(toDraft(c)); }).catch((e) => setError(errorText(e)));
    else pb().send<Record<string, CollectionModel>>('/api/collections/meta/scaffolds', {}).then((sc) => {
      setScaffolds(sc);
      const fields = startFields(sc, 'base');
      setDraft((d) => ({ ...d, fields: [...fields, ...d.fields] }));
      setBaseline((b) => ({ ...b, fields }));
    }).catch((e) => setError(errorText(e)));
  }, [idOrName, isNew]);

  // Unsaved edits: leaving the page asks first.
  const dirty = JSON.stringify(draft) !== JSON.stringify(baseline);
  useEffect(() => {
    setLeaveGuard(dirty ? `Collection ${draft.name || '(new)'} has unsaved changes.` : null);
    return () => setLeaveGuard(null);
  }, [dirty, draft.name]);

  /** A new field goes before the trailing created/updated fields (as in PocketBase's UI). */
  function addField() {
    const f = newField(newType, draft.fields.map((x) => x.name));
    let at = draft.fields.length;
    while (at > 0 && draft.fields[at - 1].type === 'autodate' && ['created', 'updated'].includes(draft.fields[at - 1].name)) at--;
    update({ fields: [...draft.fields.slice(0, at), f, ...draft.fields.slice(at)] });
  }

  function changeType(type: Draft['type']) {
    // A new collection's system fields follow its type (auth adds email, password, ...); the fields added stay.
    const own = draft.fields.filter((f) => !f.system && !(f.type === 'autodate' && (f.name === 'created' || f.name === 'updated') && !f.id));
    const sys = scaffolds ? startFields(scaffolds, type) : [];
    const tail = sys.filter((f) => f.type === 'autodate');
    update({ type, fields: type === 'view' ? [] : [...sys.filter((f) => f.type !== 'autodate'), ...own, ...tail], auth: type === 'auth' ? authOf(scaffolds?.auth) : {} });
  }

  // Completion in the rules: this collection as edited (not as saved) among the project's other collections.
  const ruleWords = useMemo(() => {
    const self: CollectionInfo = { id: saved?.id, name: draft.name, type: draft.type, fields: draft.fields };
    const rest = all.filter((c) => c.id !== saved?.id).map((c) => ({ id: c.id, name: c.name, type: c.type, fields: c.fields as FieldSchema[] }));
    return filterWords(self, [self, ...rest]);
  }, [saved?.id, draft.name, draft.type, draft.fields, all]);
  const ruleKeys: RuleKey[] = draft.type === 'auth' ? [...RULES, ...AUTH_RULES] : draft.type === 'view' ? ['listRule', 'viewRule'] : [...RULES];
  const mfaRule = draft.type === 'auth' ? String(draft.auth.mfa?.rule ?? '') : '';
  const syntaxBad = ruleKeys.some((k) => { const r = draft.rules[k]; return r != null && checkFilter(r) !== null; }) || checkFilter(mfaRule) !== null;

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setField = (i: number, f: FieldSchema) => update({ fields: draft.fields.map((x, j) => (j === i ? f : x)) });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    setErrors({});
    if (syntaxBad) { setError('Fix the rule syntax errors before saving.'); return; }
    const local = draft.type === 'view' ? {} : localFieldErrors(draft.fields);
    if (Object.keys(local).length) { setErrors(local); setError('Not saved: fix the marked fields.'); return; }
    // An existing collection's schema change is shown in full and confirmed first (rule-only edits save at once).
    const changes = saved ? schemaDiff(sideOf(baseline, ruleKeys), sideOf(draft, ruleKeys)) : [];
    if (changesSchema(changes) || changes.some((c) => c.risky)) setConfirm(changes);
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
    // Every type sends its fields (an auth collection's too: they used to be left out, so field edits of `users`
    // were silently not saved).
    body.fields = draft.fields;
    if (draft.type === 'auth') Object.assign(body, draft.auth);
    try {
      const c = isNew ? await pb().collections.create(body) : await pb().collections.update(saved!.id, body);
      setSaved(c);
      setDraft(toDraft(c));
      setBaseline(toDraft(c));
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
    if (!saved || !(await ask({ title: 'Delete collection?', message: `Delete collection "${saved.name}" and all its records? This cannot be undone.`, confirmLabel: 'Delete' }))) return;
    try {
      await pb().collections.delete(saved.id);
      navigate('collections');
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function truncate() {
    if (!saved || !(await ask({ title: 'Truncate collection?', message: `Delete every record of "${saved.name}" (cascades and files included)? The collection and its schema stay. This cannot be undone.`, confirmLabel: 'Delete all records' }))) return;
    try {
      await pb().collections.truncate(saved.id);
      setOk(`All records of ${saved.name} deleted.`);
    } catch (err) {
      setError(errorText(err));
    }
  }

  /** A copy named <name>_duplicate: same fields (new ids), rules and indexes (renamed to the new table); no records. */
  async function duplicate() {
    if (!saved) return;
    const taken = new Set(all.map((c) => c.name));
    let name = `${saved.name}_duplicate`;
    for (let i = 2; taken.has(name); i++) name = `${saved.name}_duplicate${i}`;
    const { id: _id, created: _c, updated: _u, ...rest } = saved as unknown as Record<string, unknown>;
    const body = {
      ...rest, name, system: false,
      fields: (saved.fields as FieldSchema[]).map(({ id: _f, ...f }) => f),
      indexes: (saved.indexes ?? []).map((sql) => renameIndex(sql, saved.name, name)),
    };
    try {
      const c = await pb().collections.create(body);
      navigate('collections', c.name);
    } catch (err) {
      setError(errorText(err));
      setErrors(fieldErrors(err));
    }
  }

  const others = all.filter((c) => c.id !== saved?.id);
  return (
    <form onSubmit={submit} aria-label="Collection" ref={form} noValidate>
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>{isNew ? 'New collection' : `Collection ${saved?.name ?? ''}`}</h1>
        {saved && <a className="btn" href={href('records', saved.name)}>Records</a>}
        {!readOnly && saved && saved.type !== 'view' && <button type="button" onClick={truncate}>Truncate</button>}
        {!readOnly && saved && !saved.system && <button type="button" onClick={duplicate}>Duplicate</button>}
        {!readOnly && saved && !saved.system && <button type="button" className="danger" onClick={remove}>Delete</button>}
      </div>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{ok}</Notice>
      {readOnly && <p className="notice progress" role="note">Collection controls are hidden (Settings → Application → Hide collection create and edit controls): this schema is read-only here.</p>}
      <fieldset className="plain" disabled={readOnly}>
      <div className="panel grid2">
        <label><span>Name</span>
          <input value={draft.name} required disabled={!!saved?.system} onChange={(e) => update({ name: e.target.value })}
            aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? 'collection-name-err' : undefined} />
        </label>
        {errors.name && <span id="collection-name-err" className="error" style={{ gridRow: 2 }}>{errors.name}</span>}
        <label><span>Type</span>
          <select value={draft.type} disabled={!isNew} onChange={(e) => changeType(e.target.value as Draft['type'])}>
            <option value="base">base</option><option value="auth">auth</option><option value="view">view</option>
          </select>
        </label>
      </div>

      {draft.type === 'view' ? (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>View query</h2>
          <label><span>SELECT statement (must return an id column)</span>
            <textarea value={draft.viewQuery} required onChange={(e) => update({ viewQuery: e.target.value })}
              aria-invalid={errors.viewQuery ? true : undefined} aria-describedby={errors.viewQuery ? 'view-query-err' : undefined} />
          </label>
          {errors.viewQuery && <div id="view-query-err" className="error">{errors.viewQuery}</div>}
        </div>
      ) : (
        <div className="panel">
          <h2 style={{ marginTop: 0 }}>Fields</h2>
          {draft.fields.map((f, i) => (
            <FieldEditor key={f.id ?? `new-${i}`} field={f} index={i} collections={others.concat(saved ? [saved] : [])}
              errors={Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`fields.${i}.`)).map(([k, v]) => [k.slice(`fields.${i}.`.length), v]))}
              onChange={(nf) => setField(i, nf)} onRemove={() => update({ fields: draft.fields.filter((_, j) => j !== i) })} />
          ))}
          {!readOnly && <div className="row">
            <select aria-label="New field type" value={newType} onChange={(e) => setNewType(e.target.value)} style={{ width: 140 }}>
              {Object.keys(FIELD_TYPES).map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
            <button type="button" disabled={isNew && !scaffolds} onClick={addField}>Add field</button>
          </div>}
          {errors.fields && <div className="error">{errors.fields}</div>}
        </div>
      )}

      {draft.type === 'auth' && (
        <AuthOptions value={draft.auth} onChange={(auth) => update({ auth })} fields={draft.fields} collection={saved?.name ?? null} errors={errors} ruleWords={ruleWords} readOnly={readOnly} />
      )}

      <div className="panel">
        <h2 style={{ marginTop: 0 }}>API rules</h2>
        <p className="muted" style={{ marginTop: 0 }}>Filter expressions; empty lets everyone, locked lets superusers only. Typing offers the fields, relation paths, @request.*, @collection.*, macros, modifiers and operators (Ctrl+Space lists them; Enter or Tab takes one).</p>
        {ruleKeys.map((k) => (
          <RuleInput key={k} label={k} value={draft.rules[k] ?? null} words={ruleWords} serverError={errors[k]} readOnly={readOnly}
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

      </fieldset>
      {!readOnly && (
        <div className="savebar">
          <button type="submit" className="primary" disabled={busy}>Save</button>
          {dirty && <span className="muted">Unsaved changes</span>}
        </div>
      )}
      {confirmDialog}
      {confirm && (
        <Confirm title="Confirm schema change" confirmLabel={confirm.some((c) => c.risky) ? 'Save anyway' : 'Apply changes'}
          onCancel={() => setConfirm(null)} onConfirm={() => void save()}
          message={<SchemaChanges changes={confirm} />} />
      )}
    </form>
  );
}
