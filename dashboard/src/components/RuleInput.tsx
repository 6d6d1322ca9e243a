import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { checkFilter, positionOf, wordAt } from '../lib/filterSyntax';

const REQUEST_WORDS = ['@request.auth.id', '@request.auth.collectionName', '@request.auth.', '@request.body.', '@request.query.', '@request.headers.', '@request.method', '@request.context', '@collection.', '@now', '@todayStart', '@todayEnd', '@yesterday', '@tomorrow'];

/**
 * A rule or filter input: `null` (locked, superusers only) or an expression. Syntax is checked on every
 * keystroke; the caret line points at the error. Typing an identifier offers the field names (Tab/Enter take one).
 */
export function RuleInput({ label, value, onChange, fields, serverError, nullable = true, placeholder }: {
  label: string;
  value: string | null;
  onChange: (v: string | null) => void;
  fields: string[];
  serverError?: string;
  nullable?: boolean;
  placeholder?: string;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  // Closing on blur waits so a click on a suggestion lands first; a focus or keystroke in between cancels it
  // (else a blur just before typing again closes the list that the typing opened).
  const blurTimer = useRef<number | undefined>(undefined);
  const cancelBlur = () => window.clearTimeout(blurTimer.current);
  const locked = value === null;
  const text = value ?? '';
  const error = useMemo(() => (locked ? null : checkFilter(text)), [text, locked]);
  const { start, word } = wordAt(text, caret);
  const suggestions = useMemo(() => {
    if (!open || word.length === 0) return [];
    const all = [...fields, ...REQUEST_WORDS, ...fields.map((f) => `@request.body.${f}`)];
    return all.filter((w) => w.toLowerCase().startsWith(word.toLowerCase()) && w !== word).slice(0, 8);
  }, [open, word, fields]);

  function accept(s: string) {
    const next = text.slice(0, start) + s + text.slice(caret);
    onChange(next);
    const pos = start + s.length;
    setOpen(false);
    requestAnimationFrame(() => { ref.current?.setSelectionRange(pos, pos); setCaret(pos); });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (suggestions.length === 0) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((active + 1) % suggestions.length); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((active - 1 + suggestions.length) % suggestions.length); }
    else if (e.key === 'Tab' || e.key === 'Enter') { e.preventDefault(); accept(suggestions[Math.min(active, suggestions.length - 1)]); }
    else if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); }
  }

  const shownError = error?.message ?? (serverError || '');
  // The caret under the text: the local parser's position, or the one the server's message names.
  const caretAt = error ? error.position : serverError ? positionOf(serverError) : null;
  return (
    <div className="rule" style={{ marginBottom: 10 }} role="group" aria-label={`${label} rule`}>
      <div className="row">
        <label htmlFor={id} style={{ margin: 0 }} className="grow"><span>{label}</span></label>
        {nullable && (
          <label className="check" style={{ margin: 0 }}>
            <input type="checkbox" checked={locked} onChange={(e) => onChange(e.target.checked ? null : '')} />
            <span className="muted" style={{ fontSize: 12 }}>Superusers only</span>
          </label>
        )}
      </div>
      <input
        id={id}
        ref={ref}
        className="mono"
        value={text}
        disabled={locked}
        placeholder={locked ? 'locked: superusers only' : (placeholder ?? 'empty: everyone')}
        aria-invalid={shownError ? true : undefined}
        aria-describedby={shownError ? `${id}-err` : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => { cancelBlur(); onChange(e.target.value); setCaret(e.target.selectionStart ?? 0); setOpen(true); setActive(0); }}
        onSelect={(e) => setCaret((e.target as HTMLInputElement).selectionStart ?? 0)}
        onKeyDown={onKeyDown}
        onFocus={cancelBlur}
        onBlur={() => { blurTimer.current = window.setTimeout(() => setOpen(false), 150); }}
      />
      {suggestions.length > 0 && (
        <ul className="suggest" role="listbox" aria-label="Field names">
          {suggestions.map((s, i) => (
            <li key={s} role="option" aria-selected={i === active} className={i === active ? 'on' : ''} onMouseDown={(e) => { e.preventDefault(); accept(s); }}>{s}</li>
          ))}
        </ul>
      )}
      {shownError && (
        <div id={`${id}-err`} className="error" data-testid="rule-error">
          {caretAt !== null && <div className="caret" aria-hidden="true">{' '.repeat(caretAt) + '^'}</div>}
          {shownError}
        </div>
      )}
    </div>
  );
}
