/**
 * The comments inside the inserted code, in the user's language.
 *
 * A template's comments are its most explanatory part for a learner, so they are translated like
 * the markdown around them. The English text in python_snippets/ stays the one source: each
 * translation table (python_snippets/i18n/<language>.json) maps an English comment to its
 * translation, the way gettext maps a msgid — an edited English comment no longer matches, and
 * the completeness test (src/core/codegen/__tests__/comments.test.ts) names it.
 *
 * What a unit of translation is, in a template as stored (block markers still in place):
 * - a *paragraph*: consecutive full-line comments `# text` at one indentation. Its key is the
 *   lines' texts joined by one space; its translation may hold `\n`, each line becomes
 *   `<indent># <line>` (Chinese wraps at other places than English);
 * - a *trailing* comment after code on the same line (`x = 1  # text`): its own key, a one-line
 *   translation; the code before it is kept byte for byte.
 * Not translated, and ending a paragraph: block markers (`# >>> if FLAG`, `# <<< FLAG`), a bare
 * `#`, and a comment whose text starts with a space (code quoted inside a comment,
 * `#     from peft import PeftModel`). Only comments change: tests/test_cells.py checks with
 * Python's tokenizer that a translated rendering has the English rendering's tokens, comments aside.
 */
import type { Language } from '../i18n';
import { SNIPPET_COMMENTS } from './snippets.generated';

export interface CommentUnit {
  /** The English text: a paragraph's lines joined by one space, or a trailing comment's text. */
  key: string;
  kind: 'paragraph' | 'trailing';
  /** First and last line (0-based, inclusive) the unit covers. */
  first: number;
  last: number;
}

const MARKER = /^\s*# (>>> (if|unless)|<<<) [A-Z][A-Z0-9_]*\s*$/;
const PARAGRAPH_LINE = /^(\s*)# (\S.*?)\s*$/;

/**
 * Where a line's comment starts (the index of its `#`), or -1: the first `#` outside a string.
 * Our templates have no triple-quoted strings; a line that ends inside a string is refused, so a
 * template this scanner would misread fails the build instead of shipping a broken cell.
 */
export function commentStart(name: string, line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return i;
    }
  }
  if (quote !== null) throw new Error(`snippet ${name}: a string runs past the end of ${JSON.stringify(line)} (the comment scanner reads one line at a time)`);
  return -1;
}

/** The translatable comments of one template, in order. */
export function commentUnits(name: string, template: string): CommentUnit[] {
  const units: CommentUnit[] = [];
  let paragraph: { indent: string; texts: string[]; first: number } | null = null;
  const close = (last: number) => {
    if (paragraph) units.push({ key: paragraph.texts.join(' '), kind: 'paragraph', first: paragraph.first, last });
    paragraph = null;
  };
  const lines = template.split('\n');
  lines.forEach((line, n) => {
    const at = commentStart(name, line);
    const fullLine = at >= 0 && line.slice(0, at).trim() === '';
    const text = fullLine && !MARKER.test(line) ? PARAGRAPH_LINE.exec(line) : null;
    if (text) {
      if (paragraph && paragraph.indent === text[1]) paragraph.texts.push(text[2]);
      else {
        close(n - 1);
        paragraph = { indent: text[1], texts: [text[2]], first: n };
      }
      return;
    }
    close(n - 1);
    if (at >= 0 && !fullLine) {
      const trailing = line.slice(at + 1).trim();
      if (trailing && !line.slice(at + 1).startsWith('  ')) units.push({ key: trailing, kind: 'trailing', first: n, last: n });
    }
  });
  close(lines.length - 1);
  return units;
}

/**
 * The template with its comments in `lang`, from `table` (English text → translation). A comment
 * the table lacks stays English: the cell still runs, and the completeness test fails.
 */
export function translateComments(name: string, template: string, table: Readonly<Record<string, string>>): string {
  const lines = template.split('\n');
  const units = commentUnits(name, template);
  // From the last unit backwards, so the line numbers of earlier units stay put.
  for (const unit of units.reverse()) {
    const translation = table[unit.key];
    if (translation === undefined) continue;
    const line = lines[unit.first];
    if (unit.kind === 'trailing') {
      if (/[\r\n]/.test(translation)) throw new Error(`snippet ${name}: the translation of the trailing comment ${JSON.stringify(unit.key)} must be one line`);
      lines[unit.first] = line.slice(0, commentStart(name, line) + 1) + ' ' + translation.trim();
    } else {
      const indent = /^\s*/.exec(line)![0];
      const translated = translation.split('\n').map(text => (text.trim() ? `${indent}# ${text.trim()}` : `${indent}#`));
      lines.splice(unit.first, unit.last - unit.first + 1, ...translated);
    }
  }
  return lines.join('\n');
}

/** Run silently in the kernel, never shown to a user: their comments stay as written. */
export const UNSHOWN_SNIPPETS: ReadonlySet<string> = new Set(['gpu_probe', 'hub_config', 'run_record', 'measure_request']);

const cache = new Map<string, string>();

/** A template as stored, with its comments in `lang` (English: as written). */
export function localizedTemplate(name: string, template: string, lang: Language): string {
  if (lang === 'en' || UNSHOWN_SNIPPETS.has(name)) return template;
  const key = `${lang}\u0000${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = translateComments(name, template, SNIPPET_COMMENTS[lang] ?? {});
    cache.set(key, text);
  }
  return text;
}
