// The code editor behind components/CodeEditor.tsx: CodeMirror 6, loaded as its own chunk the first time an editor
// is shown (import('./codemirror')), so screens without one never download it.
import { EditorState, Compartment, Prec, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput, StreamLanguage } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, acceptCompletion, startCompletion, insertCompletionText, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { javascript } from '@codemirror/lang-javascript';
import { sql } from '@codemirror/lang-sql';
import { tags as t } from '@lezer/highlight';
import { completeOperator, completeWord, OPERATORS, type CompletionWord } from './filterCompletion';
import { cspNonce } from './cspNonce';

export type EditorLanguage = 'javascript' | 'sql' | 'filter' | 'text';

/** A problem to mark: by character offset, or by 1-based line and column (as the server's errors give them). */
export type EditorProblem = { message: string; from?: number; to?: number; line?: number; column?: number; severity?: 'error' | 'warning' };

/** A completion candidate: a plain word, or (the filter language) a word with what it is. */
export type EditorWord = string | CompletionWord;

export type EditorOptions = {
  parent: HTMLElement;
  value: string;
  language: EditorLanguage;
  multiline: boolean;
  readOnly: boolean;
  words: EditorWord[];
  placeholder?: string;
  ariaLabel: string;
  onChange: (value: string) => void;
  onSubmit?: () => void;
};

export type EditorHandle = {
  setValue(value: string): void;
  setWords(words: EditorWord[]): void;
  setPlaceholder(text: string | undefined): void;
  setProblems(problems: EditorProblem[]): void;
  setReadOnly(readOnly: boolean): void;
  setAria(invalid: boolean, describedBy: string | undefined, required?: boolean): void;
  focus(): void;
  destroy(): void;
};

// Colours come from the dashboard's CSS variables, so the light and dark themes apply without a second theme.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: 'var(--accent)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--ok)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--danger)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--accent)' },
  { tag: [t.special(t.variableName), t.meta], color: 'var(--accent)', fontStyle: 'italic' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--input)', color: 'var(--text)', border: '1px solid var(--line)', borderRadius: 'var(--radius)', fontSize: '13px' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', caretColor: 'var(--text)', padding: '6px 0' },
  '.cm-line': { padding: '0 8px' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused .cm-activeLine': { backgroundColor: 'var(--soft)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--info-line)' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--soft)', color: 'var(--text)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
});

// The filter and rule language: strings, numbers, operators, @macros, identifiers and // comments.
const filterLanguage = StreamLanguage.define<null>({
  name: 'filter',
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match('//')) { stream.skipToEnd(); return 'comment'; }
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      for (let c = stream.next(); c !== undefined; c = stream.next()) {
        if (c === quote && !escaped) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (stream.match(/^-?\d+(\.\d+)?/)) return 'number';
    if (stream.match(/^(true|false|null)\b/)) return 'atom';
    if (stream.match(/^@[\w.:]*/)) return 'meta';
    if (stream.match(/^(\?)?(!=|>=|<=|!~|=|>|<|~)/) || stream.match('&&') || stream.match('||')) return 'operator';
    if (stream.match(/^[\w.:]+/)) return 'variableName';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//' } },
});

function languageExtension(language: EditorLanguage): Extension {
  switch (language) {
    case 'javascript': return javascript();
    case 'sql': return sql();
    case 'filter': return filterLanguage;
    default: return [];
  }
}

/** Where a problem sits in the document, clamped to it; line/column are 1-based. */
export function problemRange(doc: EditorState['doc'], p: EditorProblem): { from: number; to: number } {
  let from = p.from ?? 0;
  if (p.from === undefined && p.line !== undefined) {
    const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
    from = line.from + Math.min(Math.max((p.column ?? 1) - 1, 0), line.length);
  }
  from = Math.min(Math.max(from, 0), doc.length);
  let to = Math.min(Math.max(p.to ?? from, from), doc.length);
  if (to === from) {
    // Mark at least the character at the position (or the one before it at the end of a line) so it is visible.
    const line = doc.lineAt(from);
    if (from < line.to) to = from + 1; else if (from > line.from) from = from - 1;
  }
  return { from, to };
}


// Typing (or pasting text) over a selection that spans highlighted tokens makes Chromium keep the first token's look
// by writing a style attribute into the new line, which the Content-Security-Policy refuses (a console error; the
// editor then redraws the line anyway). Such replacements are applied as editor transactions instead.
const replaceSelectionAsTransaction = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.isComposing || view.state.readOnly) return false;
    if (event.inputType !== 'insertText' && event.inputType !== 'insertReplacementText') return false;
    // The DOM's target range (or, when the event names none, the DOM selection), not the editor's selection: the
    // latter follows selectionchange, which may lag.
    const sel = document.getSelection();
    const range: AbstractRange | undefined = event.getTargetRanges()[0] ?? (sel && sel.rangeCount ? sel.getRangeAt(0) : undefined);
    if (!range || range.collapsed || !view.contentDOM.contains(range.startContainer) || !view.contentDOM.contains(range.endContainer)) return false;
    const text = event.data ?? event.dataTransfer?.getData('text/plain');
    if (text == null) return false;
    let from: number, to: number;
    try {
      from = view.posAtDOM(range.startContainer, range.startOffset);
      to = view.posAtDOM(range.endContainer, range.endOffset);
    } catch { return false; }
    if (from === to) return false;
    event.preventDefault();
    view.dispatch({ changes: { from: Math.min(from, to), to: Math.max(from, to), insert: text }, selection: { anchor: Math.min(from, to) + text.length }, userEvent: 'input.type', scrollIntoView: true });
    return true;
  },
});

const wordOf = (w: EditorWord): CompletionWord => (typeof w === 'string' ? { label: w } : w);

const COMPLETION_TYPES: Record<NonNullable<CompletionWord['kind']>, string> = {
  field: 'property', path: 'namespace', request: 'variable', macro: 'constant', function: 'function', keyword: 'keyword', operator: 'operator',
};

/** A filter-language candidate; taking a prefix ("author.", "@request.") offers its next level at once. */
function filterOption(w: CompletionWord): Completion {
  const option: Completion = { label: w.label, detail: w.detail, type: w.kind ? COMPLETION_TYPES[w.kind] : undefined };
  if (w.label.endsWith('.')) {
    option.apply = (view, _completion, from, to) => {
      view.dispatch(insertCompletionText(view.state, w.label, from, to));
      startCompletion(view);
    };
  }
  return option;
}

/** True when `before` (the line up to the cursor) ends inside a quoted text. */
function insideQuote(before: string): boolean {
  let quote = '';
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== '';
}

/** Completion in the filter/rule language: operators after operator characters, else the word's next level. */
function completeFilter(ctx: CompletionContext, words: CompletionWord[]): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  if (insideQuote(line.text.slice(0, ctx.pos - line.from))) return null;
  const op = ctx.matchBefore(/[=!<>~?&|]+/);
  if (op) {
    const ops = completeOperator(op.text);
    return ops.length ? { from: op.from, options: ops.map(filterOption), filter: false } : null;
  }
  const word = ctx.matchBefore(/[@\w.:]+/);
  if (!word && !ctx.explicit) return null;
  const typed = word?.text ?? '';
  // Ctrl+Space after a space offers every first-level word and the operators.
  const found = [...completeWord(words, typed), ...(typed === '' ? OPERATORS : [])];
  return found.length ? { from: word?.from ?? ctx.pos, options: found.map(filterOption), filter: false } : null;
}

export function createEditor(o: EditorOptions): EditorHandle {
  const words = new Compartment();
  const readOnly = new Compartment();
  const aria = new Compartment();
  const placeholder = new Compartment();
  let wordList = o.words.map(wordOf);
  let applying = false;

  const complete = (ctx: CompletionContext): CompletionResult | null => {
    if (o.language === 'filter') return completeFilter(ctx, wordList);
    const word = ctx.matchBefore(/[@\w.:]+/);
    if (!word || (word.from === word.to && !ctx.explicit) || wordList.length === 0) return null;
    return { from: word.from, options: wordList.map(({ label }) => ({ label, type: label.startsWith('@') ? 'keyword' : 'variable' })), validFor: /^[@\w.:]*$/ };
  };

  const submitKeys = o.onSubmit
    ? [{ key: 'Mod-Enter', preventDefault: true, run: () => { o.onSubmit?.(); return true; } }]
    : [];
  // A one-line editor (a filter box) turns Enter into submit and refuses line breaks, even pasted ones; Tab takes the
  // chosen completion when the list is open (as Enter does), else moves on.
  const oneLine: Extension = o.multiline ? [] : [
    Prec.high(keymap.of([{ key: 'Tab', run: acceptCompletion }])),
    keymap.of([{ key: 'Enter', preventDefault: true, run: () => { o.onSubmit?.(); return true; } }]),
    EditorState.transactionFilter.of((tr) => (tr.newDoc.lines > 1 ? [] : tr)),
  ];
  const ariaAttrs = (invalid: boolean, describedBy: string | undefined, required = false) => EditorView.contentAttributes.of({
    // A contenteditable is in the tab order anyway; the explicit tabindex tells checkers (axe's
    // scrollable-region-focusable) that the scrolling editor has something to focus.
    tabindex: '0',
    'aria-label': o.ariaLabel,
    'aria-multiline': o.multiline ? 'true' : 'false',
    ...(invalid ? { 'aria-invalid': 'true' } : {}),
    ...(required ? { 'aria-required': 'true' } : {}),
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  });

  const view = new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.value,
      extensions: [
        cspNonce ? EditorView.cspNonce.of(cspNonce) : [],
        replaceSelectionAsTransaction,
        keymap.of([...submitKeys]),
        oneLine,
        o.multiline ? [lineNumbers(), highlightActiveLine(), lintGutter(), EditorView.lineWrapping] : [],
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightSelectionMatches(),
        // A filter's completions are never offered for a word already complete, so Enter on a finished filter submits
        // it; a list that is open is meant to be taken at once (no delay before Enter/Tab take a fresh list).
        autocompletion({ override: [complete], activateOnTyping: true, ...(o.language === 'filter' ? { interactionDelay: 0 } : {}) }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, ...(o.multiline ? [indentWithTab] : [])]),
        syntaxHighlighting(highlight),
        theme,
        languageExtension(o.language),
        linter(null),
        placeholder.of(o.placeholder ? placeholderExt(o.placeholder) : []),
        words.of([]),
        readOnly.of(EditorState.readOnly.of(o.readOnly)),
        aria.of(ariaAttrs(false, undefined)),
        EditorView.updateListener.of((u) => { if (u.docChanged && !applying) o.onChange(u.state.doc.toString()); }),
      ],
    }),
  });

  return {
    setValue(value) {
      if (value === view.state.doc.toString()) return;
      applying = true;
      try { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } }); } finally { applying = false; }
    },
    setWords(next) { wordList = next.map(wordOf); },
    setPlaceholder(text) { view.dispatch({ effects: placeholder.reconfigure(text ? placeholderExt(text) : []) }); },
    setProblems(problems) {
      const doc = view.state.doc;
      const diagnostics: Diagnostic[] = problems.map((p) => ({ ...problemRange(doc, p), severity: p.severity ?? 'error', message: p.message }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    setReadOnly(value) { view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(value)) }); },
    setAria(invalid, describedBy, required) { view.dispatch({ effects: aria.reconfigure(ariaAttrs(invalid, describedBy, required)) }); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}
