// Completion for the filter/rule language (the server's src/PaperGao.Core/Filter: fields and relation paths,
// back-relations, @request.*, @collection.*, macros, modifiers, functions, operators). The words are full paths
// ("author.name", "@request.auth.email", "tags:each"); completeWord offers them one level at a time, so typing
// "@request." offers "@request.auth.", "@request.body." ... rather than every path at once.
import { isMultiple, type FieldSchema } from './fieldTypes';

export type CompletionWord = { label: string; detail?: string; kind?: 'field' | 'path' | 'request' | 'macro' | 'function' | 'keyword' | 'operator' };

/** A collection as the completion needs it: the dashboard's CollectionModel or the collection editor's draft. */
export type CollectionInfo = { id?: string; name: string; type?: string; fields: FieldSchema[] };

// FilterMacros.Names on the server.
const MACROS: [string, string][] = [
  ['@now', 'now (UTC datetime)'], ['@yesterday', 'now − 24 h'], ['@tomorrow', 'now + 24 h'],
  ['@todayStart', 'today 00:00:00'], ['@todayEnd', 'today 23:59:59'], ['@monthStart', 'first day of the month'],
  ['@monthEnd', 'last moment of the month'], ['@yearStart', 'first day of the year'], ['@yearEnd', 'last moment of the year'],
  ['@second', 'number'], ['@minute', 'number'], ['@hour', 'number'], ['@day', 'number'], ['@month', 'number'],
  ['@weekday', 'number, 0 = Sunday'], ['@year', 'number'],
];

export const OPERATORS: CompletionWord[] = [
  ['=', 'equal'], ['!=', 'not equal'], ['>', 'greater'], ['>=', 'greater or equal'], ['<', 'less'], ['<=', 'less or equal'],
  ['~', 'contains (like)'], ['!~', 'does not contain'],
  ['?=', 'any equal'], ['?!=', 'any not equal'], ['?>', 'any greater'], ['?>=', 'any greater or equal'], ['?<', 'any less'],
  ['?<=', 'any less or equal'], ['?~', 'any contains'], ['?!~', 'any does not contain'],
  ['&&', 'and'], ['||', 'or'],
].map(([label, detail]) => ({ label, detail, kind: 'operator' as const }));

// Fields a :lower modifier makes sense on (the server accepts it on any field; numbers and dates gain nothing).
const TEXTUAL = new Set(['text', 'editor', 'email', 'url', 'select', 'relation', 'file']);
// Relation paths are offered this many relations deep (the server allows 6).
const MAX_DEPTH = 2;

// Passwords cannot be compared; tokenKey is the auth system's own secret, never something a rule needs.
const usable = (f: FieldSchema) => f.name !== '' && f.type !== 'password' && f.name !== 'tokenKey';

function fieldDetail(f: FieldSchema, byId: Map<string, CollectionInfo>): string {
  const many = isMultiple(f) ? ', multiple' : '';
  if (f.type === 'relation') return `relation → ${byId.get(String(f.collectionId ?? ''))?.name ?? '?'}${many}`;
  return f.type + many;
}

/** Every word of the language for rules and filters of `collection`, given all the project's collections. */
export function filterWords(collection: CollectionInfo | null, collections: CollectionInfo[]): CompletionWord[] {
  const byId = new Map(collections.filter((c) => c.id).map((c) => [c.id as string, c]));
  if (collection?.id) byId.set(collection.id, collection);
  const out: CompletionWord[] = [];
  const add = (label: string, detail: string, kind: CompletionWord['kind']) => out.push({ label, detail, kind });

  // Fields and relation paths: "title", "author", "author.name", "author.team.name" ...
  const paths = (prefix: string, fields: FieldSchema[], depth: number, kind: CompletionWord['kind']) => {
    for (const f of fields.filter(usable)) {
      add(prefix + f.name, fieldDetail(f, byId), kind);
      if (f.type === 'relation' && depth < MAX_DEPTH) {
        const target = byId.get(String(f.collectionId ?? ''));
        if (target) paths(`${prefix}${f.name}.`, target.fields.filter((g) => g.name !== 'id'), depth + 1, 'path');
      }
    }
  };
  const modifiers = (prefix: string, fields: FieldSchema[]) => {
    for (const f of fields.filter(usable)) {
      if (isMultiple(f)) {
        add(`${prefix}${f.name}:each`, 'each value', 'keyword');
        add(`${prefix}${f.name}:length`, 'number of values', 'keyword');
      }
      if (TEXTUAL.has(f.type)) add(`${prefix}${f.name}:lower`, 'lower case', 'keyword');
    }
  };

  const own = collection?.fields ?? [];
  paths('', own, 0, 'field');
  modifiers('', own);

  // Back-relations: <collection>_via_<relation field> for each relation that points to this collection.
  if (collection?.id) {
    for (const c of collections) {
      for (const f of c.fields.filter((x) => x.type === 'relation' && x.collectionId === collection.id)) {
        const via = `${c.name}_via_${f.name}`;
        add(via, `back-relation: ${c.name} records whose ${f.name} is this record`, 'field');
        for (const g of c.fields.filter((x) => usable(x) && x.name !== 'id')) add(`${via}.${g.name}`, fieldDetail(g, byId), 'path');
      }
    }
  }

  // @request.*: the signed-in record (fields of every auth collection), the submitted body, the query and headers.
  const authFields = new Map<string, FieldSchema>();
  for (const name of ['id', 'collectionId', 'collectionName']) authFields.set(name, { name, type: 'text' });
  for (const c of collections.filter((x) => x.type === 'auth')) for (const f of c.fields.filter(usable)) if (!authFields.has(f.name)) authFields.set(f.name, f);
  for (const f of authFields.values()) add(`@request.auth.${f.name}`, `signed-in record: ${fieldDetail(f, byId)}`, 'request');
  for (const f of own.filter(usable)) {
    add(`@request.body.${f.name}`, `submitted ${f.type}`, 'request');
    add(`@request.body.${f.name}:isset`, 'true when submitted', 'keyword');
    add(`@request.body.${f.name}:changed`, 'submitted and different', 'keyword');
    if (isMultiple(f)) {
      add(`@request.body.${f.name}:each`, 'each submitted value', 'keyword');
      add(`@request.body.${f.name}:length`, 'number of submitted values', 'keyword');
    }
  }
  add('@request.query.', 'a query parameter', 'request');
  add('@request.headers.', 'a request header (lower case, - as _)', 'request');
  add('@request.method', 'GET, POST, PATCH, DELETE', 'request');
  add('@request.context', 'default, password, oauth2, otp, realtime, protectedFile …', 'request');

  // @collection.<name>.<field>: any collection, joined by the rule.
  for (const c of collections) for (const f of c.fields.filter(usable)) add(`@collection.${c.name}.${f.name}`, fieldDetail(f, byId), 'path');

  out.push(...commonWords());
  return out;
}

/** The words of every filter: macros, functions and literals. */
export function commonWords(): CompletionWord[] {
  return [
    ...MACROS.map(([label, detail]) => ({ label, detail, kind: 'macro' as const })),
    { label: 'geoDistance(', detail: 'lonA, latA, lonB, latB → km', kind: 'function' },
    { label: 'strftime(', detail: 'format, time, modifiers… → text', kind: 'function' },
    ...['true', 'false', 'null'].map((label) => ({ label, detail: 'literal', kind: 'keyword' as const })),
  ];
}

/**
 * The completions of `typed` (the identifier before the cursor), one level at a time: a word that goes on past the next
 * "." is offered as that prefix ("author." for "author.name"); modifiers only once ":" is typed; an exact match is not
 * offered (so Enter submits a complete filter instead of taking it again).
 */
export function completeWord(words: CompletionWord[], typed: string): CompletionWord[] {
  const lower = typed.toLowerCase();
  const byLabel = new Map(words.map((w) => [w.label, w]));
  const seen = new Set<string>();
  const out: CompletionWord[] = [];
  for (const w of words) {
    if (!w.label.toLowerCase().startsWith(lower)) continue;
    const rest = w.label.slice(typed.length);
    if (rest === '') continue;
    const sep = rest.search(/[.:(]/);
    let item = w;
    if (sep >= 0 && sep < rest.length - 1) {
      if (rest[sep] !== '.') continue;
      const label = w.label.slice(0, typed.length + sep + 1);
      item = { label, detail: byLabel.get(label.slice(0, -1))?.detail ?? '…', kind: 'path' };
    }
    if (seen.has(item.label)) continue;
    seen.add(item.label);
    out.push(item);
    if (out.length >= 200) break;
  }
  return out;
}

/** The operators that start with `typed` (the operator characters before the cursor), an exact match left out. */
export function completeOperator(typed: string): CompletionWord[] {
  return OPERATORS.filter((o) => o.label.startsWith(typed) && o.label !== typed);
}

/** A collection as the API gives it (pocketbase's CollectionModel has `fields` of its own type). */
type CollectionLike = { id?: string; name: string; type?: string; fields?: unknown };

let cached: { collection: CollectionLike | null; all: CollectionLike[]; words: CompletionWord[] } | null = null;

/** filterWords for the API's collection models, computed again only when either argument is a new object. */
export function filterWordsOf(collection: CollectionLike | null, all: CollectionLike[]): CompletionWord[] {
  if (cached && cached.collection === collection && cached.all === all) return cached.words;
  const info = (c: CollectionLike): CollectionInfo => ({ id: c.id, name: c.name, type: c.type, fields: (Array.isArray(c.fields) ? c.fields : []) as FieldSchema[] });
  cached = { collection, all, words: filterWords(collection && info(collection), all.map(info)) };
  return cached.words;
}
