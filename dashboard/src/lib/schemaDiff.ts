// Everything a save of the collection editor changes, shown (and confirmed) before it is sent: the collection's name,
// fields added / removed / renamed / retyped / with changed options (matched by field id), API rules, indexes, the
// view query and the auth options. Removed, renamed and retyped fields are marked risky: data or clients break.
import type { FieldSchema } from './fieldTypes';

export type SchemaChange = {
  area: 'Collection' | 'Fields' | 'API rules' | 'Indexes' | 'Auth options';
  text: string;
  risky?: boolean;
};

/** The parts of a collection the editor can change (the collections API's names). */
export type SchemaSide = {
  name: string;
  fields: FieldSchema[];
  rules: Record<string, string | null | undefined>;
  indexes: string[];
  viewQuery?: string;
  auth?: Record<string, unknown>;
};

/** A rule as people read it: locked, open to everyone, or the expression. */
export function ruleText(r: string | null | undefined): string {
  if (r === null || r === undefined) return 'superusers only';
  return r === '' ? 'everyone' : r;
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The options of a field that differ (everything but id, name and type). */
function optionChanges(before: FieldSchema, after: FieldSchema): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !['id', 'name', 'type'].includes(k)));
  const out: string[] = [];
  for (const k of [...keys].sort()) {
    const a = before[k];
    const b = after[k];
    // An option missing on one side and false/empty/0 on the other is the same setting.
    const blank = (v: unknown) => v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0);
    if (same(a, b) || (blank(a) && blank(b))) continue;
    out.push(`${k} ${show(a)} → ${show(b)}`);
  }
  return out;
}

export function schemaDiff(before: SchemaSide, after: SchemaSide): SchemaChange[] {
  const out: SchemaChange[] = [];
  if (before.name !== after.name) out.push({ area: 'Collection', text: `renamed from ${before.name} to ${after.name}: the API path and apps using the old name change`, risky: true });
  if ((before.viewQuery ?? '') !== (after.viewQuery ?? '')) out.push({ area: 'Collection', text: 'view query changed: its fields are derived again' });

  const byId = (list: FieldSchema[], f: FieldSchema) => (f.id ? list.find((x) => x.id === f.id) : undefined);
  for (const old of before.fields) {
    const now = byId(after.fields, old);
    if (!now) { out.push({ area: 'Fields', text: `field ${old.name} (${old.type}) removed: its data is deleted for good`, risky: true }); continue; }
    if (now.name !== old.name) out.push({ area: 'Fields', text: `field ${old.name} renamed to ${now.name}: filters, rules and apps using the old name stop working`, risky: true });
    if (now.type !== old.type) out.push({ area: 'Fields', text: `field ${now.name} changes type from ${old.type} to ${now.type}: stored values may not convert`, risky: true });
    else {
      const opts = optionChanges(old, now);
      if (opts.length) out.push({ area: 'Fields', text: `field ${now.name}: ${opts.join('; ')}` });
    }
  }
  for (const f of after.fields) if (!f.id || !before.fields.some((x) => x.id === f.id)) out.push({ area: 'Fields', text: `field ${f.name} (${f.type}) added` });
  // Order changes only matter when nothing else explains them.
  const order = (l: FieldSchema[]) => l.map((f) => f.id).filter((id) => !!id && before.fields.some((x) => x.id === id) && after.fields.some((x) => x.id === id));
  if (!same(order(before.fields), order(after.fields))) out.push({ area: 'Fields', text: 'field order changed' });

  for (const k of new Set([...Object.keys(before.rules), ...Object.keys(after.rules)])) {
    if (!(k in after.rules)) continue;
    const a = before.rules[k];
    const b = after.rules[k];
    if ((a ?? null) === (b ?? null)) continue;
    out.push({ area: 'API rules', text: `${k}: ${ruleText(a)} → ${ruleText(b)}` });
  }

  const norm = (s: string) => s.trim().replace(/\s+/g, ' ');
  const oldIdx = before.indexes.map(norm);
  const newIdx = after.indexes.map(norm);
  for (const i of oldIdx) if (!newIdx.includes(i)) out.push({ area: 'Indexes', text: `removed: ${i}` });
  for (const i of newIdx) if (!oldIdx.includes(i)) out.push({ area: 'Indexes', text: `added: ${i}` });

  if (after.auth) {
    for (const k of Object.keys(after.auth)) {
      const a = (before.auth ?? {})[k];
      const b = after.auth[k];
      if (same(a, b)) continue;
      const inner = a && b && typeof a === 'object' && typeof b === 'object'
        ? Object.keys({ ...(a as object), ...(b as object) }).filter((x) => !same((a as Record<string, unknown>)[x], (b as Record<string, unknown>)[x]))
        : [];
      out.push({ area: 'Auth options', text: inner.length ? `${k}: ${inner.join(', ')} changed` : `${k} changed` });
    }
  }
  return out;
}

/** True when the change touches the schema itself (not only rules or auth options): such saves are confirmed first. */
export function changesSchema(changes: SchemaChange[]): boolean {
  return changes.some((c) => c.area === 'Collection' || c.area === 'Fields' || c.area === 'Indexes');
}
