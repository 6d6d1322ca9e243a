// Field types of the collections API and the options each one takes (docs/collections.md).

export type OptionKind = 'number' | 'text' | 'bool' | 'list' | 'collection';
export type OptionSpec = { key: string; label: string; kind: OptionKind; hint?: string };

export type FieldSchema = {
  id?: string;
  name: string;
  type: string;
  system?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  required?: boolean;
  [option: string]: unknown;
};

export const FIELD_TYPES: Record<string, OptionSpec[]> = {
  text: [
    { key: 'min', label: 'Min length', kind: 'number' },
    { key: 'max', label: 'Max length', kind: 'number' },
    { key: 'pattern', label: 'Pattern (regex)', kind: 'text' },
    { key: 'autogeneratePattern', label: 'Autogenerate pattern', kind: 'text', hint: 'e.g. [a-z0-9]{15}' },
  ],
  editor: [{ key: 'maxSize', label: 'Max size (bytes)', kind: 'number' }],
  number: [
    { key: 'min', label: 'Min', kind: 'number' },
    { key: 'max', label: 'Max', kind: 'number' },
    { key: 'onlyInt', label: 'Integers only', kind: 'bool' },
  ],
  bool: [],
  email: [
    { key: 'exceptDomains', label: 'Except domains', kind: 'list' },
    { key: 'onlyDomains', label: 'Only domains', kind: 'list' },
  ],
  url: [
    { key: 'exceptDomains', label: 'Except domains', kind: 'list' },
    { key: 'onlyDomains', label: 'Only domains', kind: 'list' },
  ],
  date: [
    { key: 'min', label: 'Min date', kind: 'text', hint: '2024-01-01 00:00:00.000Z' },
    { key: 'max', label: 'Max date', kind: 'text' },
  ],
  autodate: [
    { key: 'onCreate', label: 'Set on create', kind: 'bool' },
    { key: 'onUpdate', label: 'Set on update', kind: 'bool' },
  ],
  select: [
    { key: 'values', label: 'Values', kind: 'list' },
    { key: 'maxSelect', label: 'Max select', kind: 'number', hint: '1 = single value' },
  ],
  json: [{ key: 'maxSize', label: 'Max size (bytes)', kind: 'number' }],
  relation: [
    { key: 'collectionId', label: 'Collection', kind: 'collection' },
    { key: 'minSelect', label: 'Min select', kind: 'number' },
    { key: 'maxSelect', label: 'Max select', kind: 'number', hint: '1 = single relation' },
    { key: 'cascadeDelete', label: 'Cascade delete', kind: 'bool' },
  ],
  file: [
    { key: 'maxSelect', label: 'Max files', kind: 'number' },
    { key: 'maxSize', label: 'Max size (bytes)', kind: 'number' },
    { key: 'mimeTypes', label: 'MIME types', kind: 'list', hint: 'image/png, image/jpeg' },
    { key: 'thumbs', label: 'Thumb sizes', kind: 'list', hint: '100x100, 0x300' },
    { key: 'protected', label: 'Protected', kind: 'bool' },
  ],
  password: [
    { key: 'min', label: 'Min length', kind: 'number' },
    { key: 'max', label: 'Max length', kind: 'number' },
    { key: 'pattern', label: 'Pattern (regex)', kind: 'text' },
  ],
  geoPoint: [],
};

/** Types whose `required` flag means something. */
export function hasRequired(type: string): boolean {
  return type !== 'autodate';
}

export function newField(type: string, taken: string[]): FieldSchema {
  let name = `field`;
  for (let i = 1; taken.includes(name); i++) name = `field${i}`;
  const f: FieldSchema = { name, type, hidden: false, presentable: false, required: false };
  if (type === 'autodate') { f.onCreate = true; f.onUpdate = false; }
  if (type === 'select') { f.values = []; f.maxSelect = 1; }
  if (type === 'relation') { f.maxSelect = 1; f.cascadeDelete = false; }
  if (type === 'file') { f.maxSelect = 1; f.maxSize = 5242880; }
  return f;
}

/** Fields whose single/multiple shape depends on maxSelect. */
export function isMultiple(f: FieldSchema): boolean {
  return (f.type === 'select' || f.type === 'relation' || f.type === 'file') && Number(f.maxSelect ?? 1) > 1;
}
