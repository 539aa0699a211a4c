/**
 * How a notebook widget asks the JupyterLab extension to insert cells, through the page and
 * not the kernel: the widget dispatches a DOM event from its own element; the extension, when
 * it is loaded, listens on the document, finds the notebook and the cell that hold the element,
 * inserts below that cell and writes its answer into the event's detail (dispatchEvent is
 * synchronous, so the widget reads it right after). Without the extension nobody answers and
 * the widget takes its next path.
 */
import type { Cell } from '../../core/codegen';

export const INSERT_EVENT = 'model-advisor:insert-cells';

/** What the extension writes back: how many cells went in, or why none did. */
export type InsertAnswer = { ok: true; count: number } | { ok: false; message: string };

export interface InsertEventDetail {
  cells: readonly Pick<Cell, 'cell_type' | 'source'>[];
  answer: InsertAnswer | null;
}

/** The most cells one request may carry; the generator writes about a dozen. */
export const MAX_CELLS = 64;
/** The longest source one cell may carry (characters). */
export const MAX_SOURCE = 200_000;

/**
 * The cells of a request if they are what the widget sends — a short list of code or markdown
 * cells with string sources — else null. The page is shared with other code, so the extension
 * checks before it writes.
 */
export function validCells(value: unknown): { cell_type: 'code' | 'markdown'; source: string }[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CELLS) return null;
  const cells: { cell_type: 'code' | 'markdown'; source: string }[] = [];
  for (const c of value) {
    if (typeof c !== 'object' || c === null) return null;
    const { cell_type, source } = c as { cell_type?: unknown; source?: unknown };
    if ((cell_type !== 'code' && cell_type !== 'markdown') || typeof source !== 'string' || source.length > MAX_SOURCE) return null;
    cells.push({ cell_type, source });
  }
  return cells;
}
