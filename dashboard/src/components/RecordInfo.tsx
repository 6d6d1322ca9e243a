// The top of the record panel: the id with a copy button, created/updated in local time, the record as JSON.
import { useState } from 'react';
import type { RecordModel } from 'pocketbase';
import { localDate, parseApiDate } from '../lib/present';
import { JsonView } from './JsonView';

export function RecordInfo({ record }: { record: RecordModel }) {
  const [copied, setCopied] = useState('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(record.id);
      setCopied('Id copied.');
    } catch {
      setCopied('Copying is not allowed here: select the id and copy it.');
    }
  }
  const { expand: _expand, ...plain } = record;
  return (
    <div className="record-info">
      <div className="row">
        <span className="muted">id</span> <code className="mono" data-testid="record-id">{record.id}</code>
        <button type="button" onClick={copy} aria-label={`Copy id ${record.id}`}>Copy id</button>
        <span role="status" className="muted">{copied}</span>
      </div>
      {(['created', 'updated'] as const).map((k) => {
        const d = typeof record[k] === 'string' ? parseApiDate(record[k] as string) : null;
        return d ? <div key={k} className="row"><span className="muted">{k}</span> <time dateTime={d.toISOString()} title={`${record[k]} (UTC)`}>{localDate(d)}</time></div> : null;
      })}
      <details className="record-json">
        <summary>JSON</summary>
        <JsonView value={plain} openDepth={1} />
      </details>
    </div>
  );
}
