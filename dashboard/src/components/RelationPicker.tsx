// The relation input of the record form: the chosen records as chips (by their presentable fields) and a search box
// that queries the related collection on the server (presentable fields and id), so any record can be picked, not
// only the first page.
import { useEffect, useId, useState } from 'react';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { pb, errorText } from '../lib/session';
import { isMultiple, type FieldSchema } from '../lib/fieldTypes';
import { presentableFields, recordLabel } from '../lib/present';

type A11y = { required?: boolean; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

export function RelationPicker({ field: f, value, onChange, a11y }: { field: FieldSchema; value: unknown; onChange: (v: unknown) => void; a11y: A11y }) {
  const multiple = isMultiple(f);
  const ids = ([] as string[]).concat((value as string | string[] | undefined) ?? []).filter(Boolean);
  const [target, setTarget] = useState<CollectionModel | null>(null);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [q, setQ] = useState('');
  const [results, setResults] = useState<RecordModel[] | null>(null);
  const [error, setError] = useState('');
  const uid = useId();
  const names = presentableFields(target ?? undefined);

  useEffect(() => {
    pb().collections.getOne(String(f.collectionId ?? '')).then(setTarget).catch((e) => setError(errorText(e)));
  }, [f.collectionId]);

  // Labels of the chosen records.
  const missing = ids.filter((id) => !(id in labels));
  useEffect(() => {
    if (!target || missing.length === 0) return;
    const filter = missing.map((_, i) => `id = {:id${i}}`).join(' || ');
    const params = Object.fromEntries(missing.map((id, i) => [`id${i}`, id]));
    pb().collection(target.name).getFullList({ filter: pb().filter(filter, params) }).then((rs) => {
      setLabels((l) => ({ ...l, ...Object.fromEntries(missing.map((id) => [id, id])), ...Object.fromEntries(rs.map((r) => [r.id, recordLabel(r, names)])) }));
    }).catch(() => {});
  }, [target, missing.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps

  // Search (debounced): the presentable text fields and the id contain the words.
  useEffect(() => {
    if (!target) return;
    const t = window.setTimeout(() => {
      const text = names.filter((n) => ['text', 'email', 'url', 'editor', 'select'].includes(String((target.fields as FieldSchema[]).find((x) => x.name === n)?.type)));
      const filter = q.trim() ? pb().filter(['id ~ {:q}', ...text.map((n) => `${n} ~ {:q}`)].join(' || '), { q: q.trim() }) : '';
      pb().collection(target.name).getList(1, 10, { filter }).then((r) => { setResults(r.items); setError(''); }).catch((e) => setError(errorText(e)));
    }, 200);
    return () => window.clearTimeout(t);
  }, [target, q]); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = (r: RecordModel) => {
    setLabels((l) => ({ ...l, [r.id]: recordLabel(r, names) }));
    onChange(multiple ? (ids.includes(r.id) ? ids : [...ids, r.id]) : r.id);
  };
  const remove = (id: string) => onChange(multiple ? ids.filter((x) => x !== id) : '');
  const max = Number(f.maxSelect ?? 1);
  const full = multiple && max > 0 && ids.length >= max;

  return (
    <fieldset className="relation-picker" aria-describedby={a11y['aria-describedby']}>
      <legend>{f.name} <span className="muted">(relation to {target?.name ?? '…'}{multiple ? `, up to ${max}` : ''}{f.required ? ', required' : ''})</span></legend>
      <ul className="chips" aria-label={`Chosen ${f.name}`}>
        {ids.map((id) => (
          <li key={id} className="chip chip-removable" title={id}>
            {labels[id] ?? id}
            <button type="button" aria-label={`Remove ${labels[id] ?? id} from ${f.name}`} onClick={() => remove(id)}>×</button>
          </li>
        ))}
        {ids.length === 0 && <li className="muted">None chosen.</li>}
      </ul>
      <label><span>Search {target?.name ?? 'records'}</span>
        <input type="search" name={f.name} value={q} onChange={(e) => setQ(e.target.value)} aria-controls={`${uid}-results`}
          aria-invalid={a11y['aria-invalid']} aria-describedby={a11y['aria-describedby']} placeholder={names.length ? `${names.join(', ')} or id` : 'id'} />
      </label>
      {error && <div className="error">{error}</div>}
      <ul id={`${uid}-results`} className="relation-results" aria-label={`${target?.name ?? 'Records'} found`}>
        {(results ?? []).map((r) => {
          const chosen = ids.includes(r.id);
          return (
            <li key={r.id}>
              <button type="button" disabled={chosen || full} onClick={() => pick(r)}>
                <span className="sr-only">{multiple ? 'Add' : 'Choose'} </span>{recordLabel(r, names)} <span className="muted mono">({r.id})</span>{chosen ? <span aria-label=", chosen"> ✓</span> : ''}
              </button>
            </li>
          );
        })}
        {results && results.length === 0 && <li className="muted">No record matches.</li>}
      </ul>
    </fieldset>
  );
}
