import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CodeEditor, type EditorProblem } from './CodeEditor';
import { checkFilter, positionOf, tokenRange } from '../lib/filterSyntax';
import type { CompletionWord } from '../lib/filterCompletion';

/**
 * A rule or filter input: `null` (locked, superusers only) or an expression, in a one-line code editor (CodeMirror,
 * components/CodeEditor). Syntax is checked on every keystroke and the error's token is marked; an error the server
 * answers with a position ("... at position 12") is marked there while the text is the one the server judged.
 * Typing offers `words` (lib/filterCompletion: fields, relation paths, @request.*, @collection.*, macros, modifiers,
 * operators): arrows choose, Enter or Tab takes one. Enter otherwise submits the enclosing form (as an input would),
 * or calls `onSubmit`.
 */
export function RuleInput({ label, value, onChange, words, serverError, nullable = true, placeholder, readOnly = false, required = false, onSubmit }: {
  label: string;
  value: string | null;
  onChange: (v: string | null) => void;
  words: CompletionWord[];
  serverError?: string;
  nullable?: boolean;
  placeholder?: string;
  readOnly?: boolean;
  /** An empty expression is refused (aria-required). */
  required?: boolean;
  onSubmit?: () => void;
}) {
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const locked = value === null;
  const text = value ?? '';
  const syntax = useMemo(() => (locked ? null : checkFilter(text)), [text, locked]);
  // The text a server error is about: its position is marked only while the text is still that one.
  const [judged, setJudged] = useState<string | null>(null);
  const textNow = useRef(text);
  textNow.current = text;
  useEffect(() => { setJudged(serverError ? textNow.current : null); }, [serverError]);

  const shownError = syntax?.message ?? (serverError || '');
  const problems = useMemo<EditorProblem[]>(() => {
    if (syntax) return [{ message: syntax.message, ...tokenRange(text, syntax.position) }];
    const at = serverError && judged === text ? positionOf(serverError) : null;
    return at === null ? [] : [{ message: serverError!, ...tokenRange(text, at) }];
  }, [syntax, serverError, judged, text]);

  const focusEditor = () => wrap.current?.querySelector<HTMLElement>('.cm-content, input.mono')?.focus();
  const submit = onSubmit ?? (() => wrap.current?.closest('form')?.requestSubmit());
  return (
    <div ref={wrap} className="rule" role="group" aria-label={`${label} rule`}>
      <div className="row">
        {/* The editor is named by aria-label (a contenteditable has no <label for>); a click here focuses it. */}
        <span className="grow rule-label" onClick={focusEditor}>{label}</span>
        {nullable && (
          <label className="check" style={{ margin: 0 }}>
            <input type="checkbox" checked={locked} disabled={readOnly} onChange={(e) => onChange(e.target.checked ? null : '')} />
            <span className="muted" style={{ fontSize: 12 }}>Superusers only</span>
          </label>
        )}
      </div>
      <CodeEditor
        value={text}
        onChange={(v) => onChange(v)}
        language="filter"
        multiline={false}
        ariaLabel={label}
        readOnly={locked || readOnly}
        words={words}
        problems={problems}
        ariaInvalid={!!shownError}
        ariaRequired={required}
        ariaDescribedBy={shownError ? `${id}-err` : undefined}
        placeholder={locked ? 'locked: superusers only' : (placeholder ?? 'empty: everyone')}
        onSubmit={submit}
      />
      {shownError && <div id={`${id}-err`} className="error" data-testid="rule-error">{shownError}</div>}
    </div>
  );
}
