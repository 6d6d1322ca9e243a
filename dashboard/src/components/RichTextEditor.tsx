// The input of an `editor` field: a rich-text editor (Tiptap 3 with its StarterKit: paragraphs, headings, bold,
// italic, strike, code, lists, quotes, code blocks, links, undo). Loaded on demand (React.lazy in RecordForm), so
// the main bundle does not carry it. The stored HTML is sanitised with DOMPurify before the editor sees it, and what
// the editor produces is sanitised again before it is saved; Tiptap's schema drops anything it does not know
// (scripts, event handlers, iframes, images). injectCSS is off: the dashboard's CSP allows no inline <style>.
import { useEffect } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import DOMPurify from 'dompurify';

/**
 * Removes on*= attributes from the text before anything parses it. Chromium checks an inline handler against the
 * CSP as soon as it parses one, even in an inert document (DOMParser, <template>, DOMPurify's own parse): the CSP
 * blocks it, but it logs a violation each time. DOMPurify below is what makes the HTML safe; this only keeps the
 * handlers from being parsed at all (a handler this misses is still blocked by the CSP and removed by DOMPurify).
 */
export function stripHandlers(html: string): string {
  const attr = /(<[a-z][^>]*?[\s/"'])on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi;
  let prev: string;
  let out = html;
  do { prev = out; out = out.replace(attr, '$1'); } while (out !== prev);
  return out;
}

/** HTML safe to hand to the editor or to store: no scripts, handlers, frames, forms or styles. */
export function sanitize(html: string): string {
  return DOMPurify.sanitize(stripHandlers(html), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'img', 'svg', 'math'],
    FORBID_ATTR: ['style'],
  });
}

type Mark = { label: string; name: string; attrs?: Record<string, unknown>; run: (e: Editor) => void };

const TOOLS: Mark[] = [
  { label: 'Bold', name: 'bold', run: (e) => e.chain().focus().toggleBold().run() },
  { label: 'Italic', name: 'italic', run: (e) => e.chain().focus().toggleItalic().run() },
  { label: 'Strike', name: 'strike', run: (e) => e.chain().focus().toggleStrike().run() },
  { label: 'Heading', name: 'heading', attrs: { level: 2 }, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
  { label: 'Bullet list', name: 'bulletList', run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: 'Numbered list', name: 'orderedList', run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: 'Quote', name: 'blockquote', run: (e) => e.chain().focus().toggleBlockquote().run() },
  { label: 'Code block', name: 'codeBlock', run: (e) => e.chain().focus().toggleCodeBlock().run() },
];

export default function RichTextEditor({ label, value, onChange, invalid, describedBy, required }: {
  label: string; value: string; onChange: (html: string) => void; invalid?: boolean; describedBy?: string; required?: boolean;
}) {
  // The content element's attributes, aria-invalid / aria-describedby following the form's errors. They go through
  // editorProps (setOptions works before the view is mounted; reading editor.view.dom then throws in Tiptap 3).
  const attributes = {
    class: 'rte-content',
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    ...(required ? { 'aria-required': 'true' } : {}),
    ...(invalid ? { 'aria-invalid': 'true' } : {}),
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  };
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } })],
    content: sanitize(value),
    injectCSS: false,
    immediatelyRender: true,
    editorProps: { attributes },
    // An empty document is stored as "" (not "<p></p>"), as PocketBase's editor does.
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : sanitize(e.getHTML())),
  });
  const attributesKey = JSON.stringify(attributes);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: JSON.parse(attributesKey) as Record<string, string> } });
  }, [editor, attributesKey]);
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => Object.fromEntries(TOOLS.map((t) => [t.label, !!e?.isActive(t.name, t.attrs)])),
  });
  if (!editor) return null;
  return (
    <div className="rte" data-testid="rich-text">
      <div role="toolbar" aria-label={`${label} formatting`} className="rte-toolbar">
        {TOOLS.map((t) => (
          // mousedown's default would move focus to the button; Tiptap's focus() gives it back only on the next
          // animation frame, and a key typed before then is lost. Keeping the focus in the text avoids the gap.
          <button key={t.label} type="button" aria-pressed={active?.[t.label] ?? false} onMouseDown={(e) => e.preventDefault()} onClick={() => t.run(editor)}>{t.label}</button>
        ))}
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
