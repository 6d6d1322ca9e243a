// How a record is named where it is shown inside another one (a relation cell, the relation picker): its collection's
// presentable fields, as PocketBase's UI does; without any, a field called title/name/email/username, then the id.
import type { CollectionModel, RecordModel } from 'pocketbase';
import type { FieldSchema } from './fieldTypes';

const FALLBACK = ['title', 'name', 'email', 'username'];

/** The field names that name a record of `c`. */
export function presentableFields(c: CollectionModel | undefined): string[] {
  const fields = (c?.fields ?? []) as FieldSchema[];
  const marked = fields.filter((f) => f.presentable && f.type !== 'password').map((f) => f.name);
  if (marked.length) return marked;
  const named = FALLBACK.find((n) => fields.some((f) => f.name === n && !f.hidden));
  return named ? [named] : [];
}

/** A short text for a record: its presentable values joined, or its id. */
export function recordLabel(r: RecordModel, names: string[]): string {
  const parts = names.map((n) => r[n]).filter((v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map((v) => (Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return parts.length ? parts.join(' · ') : r.id;
}

let decoder: HTMLTextAreaElement | null = null;

/**
 * Plain text of an editor field's HTML, for the list. No element is ever created from it (even an inert DOMParser
 * document tries an <img onerror>): tags are cut out, then entities are decoded by a <textarea>, whose content is
 * parsed as text only.
 */
export function htmlToText(html: string): string {
  const stripped = html.replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>?/g, ' ');
  // No entity left: nothing to decode (most values), so no element is touched.
  if (!stripped.includes('&')) return stripped.replace(/\s+/g, ' ').trim();
  // One detached <textarea> serves every call (the table asks once per editor cell).
  decoder ??= document.createElement('textarea');
  decoder.innerHTML = stripped.replace(/</g, '&lt;');
  return decoder.value.replace(/\s+/g, ' ').trim();
}

/** "2025-01-31 12:00:00.000Z" (the API's format) as a Date, or null. */
export function parseApiDate(v: string): Date | null {
  const d = new Date(v.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date in the viewer's time zone, to the second: 2025-01-31 13:00:05. */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
