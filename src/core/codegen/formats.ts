/**
 * Cells out to the world: a percent-format script (`# %%`, the format Jupytext, VS Code and
 * Spyder read) and an nbformat-4 notebook. Also the one way a user's value enters markdown.
 */
import type { Cell } from './request';

/**
 * A user's value (a model id, a path) as markdown inline code, on one line, showing every
 * character: control characters, line separators and lone surrogates appear as \uXXXX escapes,
 * so no value can start a new line — which, in the percent script, would leave the comment.
 */
export function markdownValue(value: string): string {
  let shown = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    const invisible = code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff);
    shown += invisible ? '\\u' + code.toString(16).padStart(4, '0') : ch;
  }
  // A code span is fenced by more backticks than any run inside it (CommonMark §6.1).
  const longest = Math.max(0, ...Array.from(shown.matchAll(/`+/g), m => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** Python's tokenizer ends a line at \n, \r\n and \r (universal newlines); so do we. */
const LINE_BREAK = /\r\n|\r|\n/;

/** The cells as one runnable Python script in the percent format. */
export function toPercentScript(cells: readonly Cell[]): string {
  return (
    cells
      .map(cell => {
        if (cell.cell_type === 'code') return `# %%\n${cell.source.replace(/\s+$/, '')}\n`;
        const lines = cell.source.split(LINE_BREAK).map(line => (line === '' ? '#' : `# ${line}`));
        return `# %% [markdown]\n${lines.join('\n')}\n`;
      })
      .join('\n')
  );
}

export interface NotebookCell {
  id: string;
  cell_type: 'code' | 'markdown';
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: unknown[];
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Split like Python's `str.splitlines(keepends=True)` on "\n": the form nbformat writes. */
function sourceLines(text: string): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? line + '\n' : line));
}

/**
 * An nbformat 4.5 notebook (cell ids required since 4.5) that Colab, JupyterLab and VS Code
 * open as it is. `gpu` marks a notebook that wants a GPU runtime (Colab reads `accelerator`).
 */
export function toNotebook(cells: readonly Cell[], options: { gpu?: boolean } = {}): Notebook {
  const metadata: Record<string, unknown> = {
    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    language_info: { name: 'python' }
  };
  if (options.gpu) metadata.accelerator = 'GPU';
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: cells.map((cell, i) => {
      const id = `${cell.step}-${i + 1}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
      const common = { id, metadata: { model_advisor_step: cell.step }, source: sourceLines(cell.source) };
      return cell.cell_type === 'code'
        ? { ...common, cell_type: 'code' as const, execution_count: null, outputs: [] }
        : { ...common, cell_type: 'markdown' as const };
    })
  };
}
