import type { FieldSchema } from './fieldTypes';

export type SchemaChange = { kind: 'rename' | 'remove'; field: string; to?: string };

/** Renamed and removed fields between the saved schema and the edited one (matched by field id). */
export function riskyChanges(before: FieldSchema[], after: FieldSchema[]): SchemaChange[] {
  const out: SchemaChange[] = [];
  for (const old of before) {
    if (!old.id) continue;
    const now = after.find((f) => f.id === old.id);
    if (!now) out.push({ kind: 'remove', field: old.name });
    else if (now.name !== old.name) out.push({ kind: 'rename', field: old.name, to: now.name });
  }
  return out;
}
