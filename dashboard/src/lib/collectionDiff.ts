// What an import of collections (PocketBase's JSON export format) would change, shown before it is applied.
import type { CollectionModel } from 'pocketbase';
import type { FieldSchema } from './fieldTypes';

export type CollectionDiff =
  | { kind: 'create'; name: string; fields: string[] }
  | { kind: 'update'; name: string; added: string[]; removed: string[]; changed: string[]; renamedFrom?: string; other: string[] }
  | { kind: 'delete'; name: string }
  | { kind: 'same'; name: string };

type Incoming = { id?: string; name?: string; fields?: FieldSchema[]; [k: string]: unknown };

const COMPARED = ['type', 'listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'authRule', 'manageRule', 'viewQuery', 'indexes'];

/** Collections as exported: the API's objects without their timestamps. */
export function exportable(cs: CollectionModel[]): Record<string, unknown>[] {
  return cs.map((c) => {
    const { created: _c, updated: _u, ...rest } = c as unknown as Record<string, unknown>;
    return rest;
  });
}

/** Checks the shape of an import: an array of objects with a name each (the server checks the rest). */
export function parseImport(text: string): Incoming[] {
  const v = JSON.parse(text) as unknown;
  const list = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { collections?: unknown }).collections) ? (v as { collections: unknown[] }).collections : null;
  if (!list) throw new Error('Expected an array of collections (as exported).');
  if (list.length === 0) throw new Error('The array is empty.');
  list.forEach((c, i) => {
    if (!c || typeof c !== 'object' || typeof (c as Incoming).name !== 'string' || !(c as Incoming).name) throw new Error(`Item ${i + 1} is not a collection with a name.`);
  });
  return list as Incoming[];
}

export function diffImport(current: CollectionModel[], incoming: Incoming[], deleteMissing: boolean): CollectionDiff[] {
  const out: CollectionDiff[] = [];
  const matched = new Set<string>();
  for (const c of incoming) {
    const old = current.find((x) => (c.id && x.id === c.id)) ?? current.find((x) => x.name === c.name);
    if (!old) { out.push({ kind: 'create', name: c.name!, fields: (c.fields ?? []).map((f) => f.name) }); continue; }
    matched.add(old.id);
    const oldFields = old.fields as FieldSchema[];
    const newFields = c.fields ?? [];
    const find = (f: FieldSchema, list: FieldSchema[]) => (f.id ? list.find((x) => x.id === f.id) : undefined) ?? list.find((x) => x.name === f.name);
    const added = newFields.filter((f) => !find(f, oldFields)).map((f) => f.name);
    const removed = oldFields.filter((f) => !find(f, newFields)).map((f) => f.name);
    const changed: string[] = [];
    for (const f of newFields) {
      const o = find(f, oldFields);
      if (!o) continue;
      if (o.name !== f.name) changed.push(`${o.name} → ${f.name}`);
      else if (o.type !== f.type) changed.push(`${f.name}: ${o.type} → ${f.type}`);
      else if (JSON.stringify(sorted(o)) !== JSON.stringify(sorted(f))) changed.push(`${f.name}: options`);
    }
    const other = COMPARED.filter((k) => k in c && JSON.stringify((c as Record<string, unknown>)[k] ?? null) !== JSON.stringify((old as unknown as Record<string, unknown>)[k] ?? null));
    const renamedFrom = old.name !== c.name ? old.name : undefined;
    if (!added.length && !removed.length && !changed.length && !other.length && !renamedFrom) out.push({ kind: 'same', name: c.name! });
    else out.push({ kind: 'update', name: c.name!, added, removed, changed, renamedFrom, other });
  }
  if (deleteMissing) for (const c of current) if (!matched.has(c.id) && !c.system) out.push({ kind: 'delete', name: c.name });
  return out;
}

function sorted(o: object): [string, unknown][] {
  return Object.entries(o).filter(([k]) => k !== 'id').sort(([a], [b]) => a.localeCompare(b));
}
