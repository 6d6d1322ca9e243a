import { useEffect, useRef, useState } from 'react';
import type { EditorHandle, EditorLanguage, EditorProblem, EditorWord } from '../lib/codemirror';

export type { EditorLanguage, EditorProblem, EditorWord };

type Props = {
  value: string;
  onChange: (value: string) => void;
  /** 'javascript' (functions), 'sql' (the console), 'filter' (rules and filters) or plain 'text'. */
  language: EditorLanguage;
  /** The accessible name of the editor (there is no <label> element for a contenteditable). */
  ariaLabel: string;
  multiline?: boolean;
  readOnly?: boolean;
  /** Completion candidates offered while typing (collection names; for 'filter', lib/filterCompletion's words). */
  words?: EditorWord[];
  /** Marked in the text and listed in the gutter, e.g. a deploy error's line and column. */
  problems?: EditorProblem[];
  ariaInvalid?: boolean;
  /** aria-required on the editor (and `required` on the stand-in input). */
  ariaRequired?: boolean;
  ariaDescribedBy?: string;
  placeholder?: string;
  /** Ctrl/Cmd+Enter (and Enter in a one-line editor). */
  onSubmit?: () => void;
  minHeight?: number;
};

let chunk: Promise<typeof import('../lib/codemirror')> | null = null;
const loadChunk = () => (chunk ??= import('../lib/codemirror'));

/**
 * A code editor with highlighting, completion and problem marks (CodeMirror 6, loaded on first use). Until its chunk
 * has loaded, and if it fails to load, a plain textarea (or input) with the same value, name and handlers stands in,
 * so the screen works at once and typing is never lost.
 */
export function CodeEditor(p: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<EditorHandle | null>(null);
  const [ready, setReady] = useState(false);
  // The latest callbacks, read by the editor without re-creating it on every render.
  const latest = useRef(p);
  latest.current = p;
  const multiline = p.multiline ?? true;

  useEffect(() => {
    let cancelled = false;
    loadChunk().then((cm) => {
      if (cancelled || !host.current) return;
      const focused = !!wrap.current?.contains(document.activeElement);
      const cur = latest.current;
      editor.current = cm.createEditor({
        parent: host.current,
        value: cur.value,
        language: cur.language,
        multiline,
        readOnly: cur.readOnly ?? false,
        words: cur.words ?? [],
        placeholder: cur.placeholder,
        ariaLabel: cur.ariaLabel,
        onChange: (v) => latest.current.onChange(v),
        onSubmit: () => latest.current.onSubmit?.(),
      });
      setReady(true);
      if (focused) editor.current.focus();
    }, () => { /* the fallback stays */ });
    return () => { cancelled = true; editor.current?.destroy(); editor.current = null; setReady(false); };
  }, [p.language, multiline]);

  useEffect(() => { editor.current?.setValue(p.value); }, [p.value, ready]);
  useEffect(() => { editor.current?.setWords(p.words ?? []); }, [p.words, ready]);
  useEffect(() => { editor.current?.setProblems(p.problems ?? []); }, [p.problems, ready]);
  useEffect(() => { editor.current?.setReadOnly(p.readOnly ?? false); }, [p.readOnly, ready]);
  useEffect(() => { editor.current?.setPlaceholder(p.placeholder); }, [p.placeholder, ready]);
  useEffect(() => { editor.current?.setAria(!!p.ariaInvalid, p.ariaDescribedBy, !!p.ariaRequired); }, [p.ariaInvalid, p.ariaDescribedBy, p.ariaRequired, ready]);

  const fallbackProps = {
    value: p.value,
    'aria-label': p.ariaLabel,
    'aria-invalid': p.ariaInvalid ? true : undefined,
    'aria-describedby': p.ariaDescribedBy,
    readOnly: p.readOnly,
    required: p.ariaRequired,
    placeholder: p.placeholder,
    spellCheck: false,
    className: 'mono',
  };
  const submitOn = (e: React.KeyboardEvent, plainEnter: boolean) => {
    if (e.key === 'Enter' && (plainEnter || e.ctrlKey || e.metaKey)) { e.preventDefault(); p.onSubmit?.(); }
  };
  return (
    <div ref={wrap} className={`code-editor${multiline ? ' multiline' : ''}`}>
      <div ref={host} hidden={!ready} style={multiline && p.minHeight ? { minHeight: p.minHeight } : undefined} />
      {!ready && (multiline
        ? <textarea {...fallbackProps} rows={6} onChange={(e) => p.onChange(e.target.value)} onKeyDown={(e) => submitOn(e, false)} />
        : <input {...fallbackProps} onChange={(e) => p.onChange(e.target.value)} onKeyDown={(e) => submitOn(e, true)} />)}
    </div>
  );
}
