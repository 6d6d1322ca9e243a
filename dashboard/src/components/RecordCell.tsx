// A record's value in the records table, shown as what it is: related records by their presentable fields, select
// values as chips, JSON as a collapsible viewer, dates in local time (the stored UTC value as a tooltip), editor
// HTML as plain text, images as thumbnails.
import { useState } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb } from '../lib/session';
import type { FieldSchema } from '../lib/fieldTypes';
import { htmlToText, localDate, parseApiDate, presentableFields, recordLabel } from '../lib/present';
import { JsonView, jsonPreview } from './JsonView';

export function RecordCell({ field: f, record: r, token, collections, names: given }: {
  field: FieldSchema; record: RecordModel; token: string; collections: Map<string, CollectionModel>;
  /** The related collection's presentable field names, when the caller worked them out once for the column. */
  names?: string[];
}) {
  const v = r[f.name];
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return <span className="muted">—</span>;
  switch (f.type) {
    case 'file': {
      const names = ([] as string[]).concat(v as string | string[]);
      return <span className="row">{names.slice(0, 3).map((n) => /\.(png|jpe?g|gif|webp)$/i.test(n)
        ? <img key={n} className="thumb" alt={n} src={pb().files.getURL(r, n, f.protected ? { thumb: '100x100', token } : { thumb: '100x100' })} />
        : <span key={n} className="badge">{n}</span>)}{names.length > 3 && <span className="muted">+{names.length - 3}</span>}</span>;
    }
    case 'relation': {
      const ids = ([] as string[]).concat(v as string | string[]);
      const expanded = ([] as RecordModel[]).concat((r.expand?.[f.name] as RecordModel | RecordModel[] | undefined) ?? []);
      const names = given ?? presentableFields(collections.get(String(f.collectionId)));
      return <span className="chips">{ids.slice(0, 5).map((id) => {
        const rel = expanded.find((x) => x.id === id);
        return <span key={id} className="chip" title={id}>{rel ? recordLabel(rel, names) : id}</span>;
      })}{ids.length > 5 && <span className="muted">+{ids.length - 5}</span>}</span>;
    }
    case 'select':
      return <span className="chips">{([] as string[]).concat(v as string | string[]).map((s) => <span key={s} className="chip">{s}</span>)}</span>;
    case 'bool':
      return <span className={v ? 'bool-yes' : 'muted'}>{v ? 'true' : 'false'}</span>;
    case 'date':
    case 'autodate': {
      const d = parseApiDate(String(v));
      return d ? <time dateTime={d.toISOString()} title={`${String(v)} (UTC)`}>{localDate(d)}</time> : <span>{String(v)}</span>;
    }
    case 'editor': {
      const text = htmlToText(String(v));
      return <span title={text.length > 60 ? text.slice(0, 500) : undefined}>{text || <span className="muted">(empty)</span>}</span>;
    }
    case 'json':
      if (typeof v !== 'object') return <span className="mono">{JSON.stringify(v)}</span>;
      return <JsonCell value={v} />;
    case 'geoPoint': {
      const p = v as { lon?: number; lat?: number };
      return <span className="mono">{p.lat ?? 0}, {p.lon ?? 0}</span>;
    }
    case 'password':
      return <span className="muted">••••••</span>;
    default:
      return typeof v === 'object' ? <span className="mono">{JSON.stringify(v)}</span> : <span>{String(v)}</span>;
  }
}

/** A JSON cell: the one-line preview; the tree is built only once it is opened (a 1,000-row page stays light). */
function JsonCell({ value }: { value: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="json-cell" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="mono">{jsonPreview(value, 40)}</summary>
      {open && <JsonView value={value} openDepth={2} />}
    </details>
  );
}
