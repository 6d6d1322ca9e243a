// JSON as a collapsible tree: objects and arrays are <details> (keyboard: Tab to a summary, Enter/Space toggles).
import type { ReactNode } from 'react';

/** One value: primitives inline, objects/arrays collapsible (open down to `openDepth`). */
export function JsonView({ value, name, openDepth = 1, depth = 0 }: { value: unknown; name?: string; openDepth?: number; depth?: number }) {
  const key = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') return <div className="json-line">{key}<Primitive value={value} /></div>;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as object);
  const size = Array.isArray(value) ? `[${entries.length} ${entries.length === 1 ? 'item' : 'items'}]` : `{${entries.length} ${entries.length === 1 ? 'key' : 'keys'}}`;
  if (entries.length === 0) return <div className="json-line">{key}<span className="muted">{Array.isArray(value) ? '[]' : '{}'}</span></div>;
  return (
    <details className="json-node" open={depth < openDepth}>
      <summary>{key}<span className="muted">{size}</span></summary>
      <div className="json-children">
        {entries.map(([k, v]) => <JsonView key={k} name={k} value={v} openDepth={openDepth} depth={depth + 1} />)}
      </div>
    </details>
  );
}

function Primitive({ value }: { value: unknown }): ReactNode {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

/** A one-line preview of a JSON value, cut to `max` characters. */
export function jsonPreview(value: unknown, max = 60): string {
  const s = JSON.stringify(value) ?? '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
