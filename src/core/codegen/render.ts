/**
 * Filling a template from python_snippets/.
 *
 * The template language, all of it (a template is valid Python as stored, with every block kept):
 *
 * - A placeholder is an identifier `__NAME__` (capitals, digits, underscores) standing where a
 *   Python expression or a name may stand: `model_id = __MODEL_ID__`, `from transformers import
 *   __AUTO_CLASS__`. It is replaced by `pythonLiteral(value)` — the one escaping function — so a
 *   string always becomes one string constant. Placeholders never appear in comments or strings
 *   (tests/test_cells.py checks this with Python's own tokenizer).
 * - An optional block is a run of lines between two comment lines:
 *       # >>> if FLAG          (kept when flags.FLAG is true)
 *       # >>> unless FLAG      (kept when flags.FLAG is false)
 *       # <<< FLAG             (ends the block opened for FLAG)
 *   The marker lines may be indented (inside a call's parentheses, say) and are always removed.
 *   Blocks nest; a flag with no value in `flags` is an error, as is an unclosed block.
 * - A line `# >>> include _name` is replaced by python_snippets/_name.py when the snippets are
 *   generated (scripts/gen-snippets.mjs): the part several templates share, valid Python by itself.
 * - A placeholder inside a dropped block needs no value; one in a kept block must have one.
 *   A value whose placeholder the template does not contain at all is an error (a typo).
 */
import { SNIPPETS, SnippetHoles, SnippetName } from './snippets.generated';
import { pythonLiteral, PythonValue } from './literal';
import { localizedTemplate } from './comments';
import type { Language } from '../i18n';

/** Placeholders in python_snippets/ are identifiers such as __MODEL_ID__. */
const PLACEHOLDER = /\b__([A-Z][A-Z0-9_]*)__\b/g;
const BLOCK_OPEN = /^\s*# >>> (if|unless) ([A-Z][A-Z0-9_]*)\s*$/;
const BLOCK_CLOSE = /^\s*# <<< ([A-Z][A-Z0-9_]*)\s*$/;

/** Keep or drop the optional blocks of a template; marker lines go. */
export function selectBlocks(name: string, template: string, flags: Record<string, boolean>): string {
  const kept: string[] = [];
  const open: Array<{ flag: string; keep: boolean }> = [];
  for (const line of template.split('\n')) {
    const opening = BLOCK_OPEN.exec(line);
    if (opening) {
      const [, mode, flag] = opening;
      if (!(flag in flags)) throw new Error(`snippet ${name}: no value for block flag ${flag}`);
      open.push({ flag, keep: mode === 'if' ? flags[flag] : !flags[flag] });
      continue;
    }
    const closing = BLOCK_CLOSE.exec(line);
    if (closing) {
      const top = open.pop();
      if (!top || top.flag !== closing[1]) throw new Error(`snippet ${name}: "# <<< ${closing[1]}" closes no open block`);
      continue;
    }
    if (open.every(b => b.keep)) kept.push(line);
  }
  if (open.length) throw new Error(`snippet ${name}: block ${open[open.length - 1].flag} is never closed`);
  return kept.join('\n');
}

/**
 * Fill one snippet: its comments in `lang` (comments.ts), optional blocks chosen by `flags`, then
 * each placeholder becomes the Python literal of its value. A placeholder left without a value,
 * or a value no placeholder asks for, is a bug in our code: throw.
 */
/** The values a template takes: only its own placeholders (generated from python_snippets/). */
export type SnippetValues<N extends SnippetName> = { readonly [K in SnippetHoles[N]['values']]?: PythonValue };
/** The flags a template takes: only its own blocks' names. */
export type SnippetFlags<N extends SnippetName> = { readonly [K in SnippetHoles[N]['flags']]?: boolean };

export function renderSnippet<N extends SnippetName>(name: N, values: SnippetValues<N>, flags: SnippetFlags<N> = {}, lang: Language = 'en'): string {
  const stored = SNIPPETS[name];
  if (stored === undefined) throw new Error(`no snippet named ${name}`);
  const template = localizedTemplate(name, stored, lang);
  const known = new Set(Array.from(template.matchAll(PLACEHOLDER), m => m[1]));
  const stray = Object.keys(values).filter(k => !known.has(k));
  if (stray.length) throw new Error(`snippet ${name}: no placeholder for ${stray.join(', ')}`);
  const given = values as Readonly<Record<string, PythonValue>>;
  return selectBlocks(name, template, flags as Record<string, boolean>).replace(PLACEHOLDER, (whole, key: string) => {
    if (!(key in given)) throw new Error(`snippet ${name}: no value for ${whole}`);
    return pythonLiteral(given[key]);
  });
}
