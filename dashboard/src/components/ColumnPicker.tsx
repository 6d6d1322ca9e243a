// Which columns the records table shows, kept per project and collection in localStorage.
import { useState } from 'react';

const key = (project: string, collection: string) => `pg_columns_${project}_${collection}`;

/** The visible column names: the stored choice (names still in `all`), else the first `initial` ones. */
export function useColumns(project: string, collection: string, all: string[], initial = 8): [string[], (names: string[]) => void] {
  const [stored, setStored] = useState<string[] | null>(() => {
    try { const v = JSON.parse(localStorage.getItem(key(project, collection)) ?? 'null'); return Array.isArray(v) ? v : null; } catch { return null; }
  });
  const shown = stored ? all.filter((n) => stored.includes(n)) : all.slice(0, initial);
  const set = (names: string[]) => {
    localStorage.setItem(key(project, collection), JSON.stringify(names));
    setStored(names);
  };
  return [shown, set];
}

export function ColumnPicker({ all, shown, onChange }: { all: string[]; shown: string[]; onChange: (names: string[]) => void }) {
  return (
    <details className="popover">
      <summary className="btn">Columns ({shown.length}/{all.length})</summary>
      <fieldset className="popover-body">
        <legend className="muted">Shown columns</legend>
        {all.map((n) => (
          <label key={n} className="check">
            <input type="checkbox" checked={shown.includes(n)}
              onChange={(e) => onChange(e.target.checked ? all.filter((x) => x === n || shown.includes(x)) : shown.filter((x) => x !== n))} />
            <span>{n}</span>
          </label>
        ))}
        <div className="row" style={{ marginTop: 6 }}>
          <button type="button" onClick={() => onChange(all)}>All</button>
          <button type="button" onClick={() => onChange([])}>None</button>
        </div>
      </fieldset>
    </details>
  );
}
