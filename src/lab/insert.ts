import { NotebookPanel } from '@jupyterlab/notebook';
import { Cell } from '../core/codegen';

/**
 * The one way the advisor writes into a notebook: all cells at `at` (default: below the active
 * cell), in a single shared-model transaction, so a notebook is never left half written and one
 * undo (Edit → Undo, or z in command mode) takes the whole batch out again. Below the active
 * cell, an empty active cell (the blank first cell of a new notebook) is replaced rather than
 * left above the title. The last inserted cell becomes active, so a second insert lands below
 * the first batch, not inside it. Returns the index of the first inserted cell.
 */
export function insertCellsBelowActive(panel: NotebookPanel, cells: readonly Pick<Cell, 'cell_type' | 'source'>[], at?: number): number {
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) throw new Error('The notebook has not loaded yet.');
  if (model.readOnly || !notebook.model?.sharedModel) throw new Error('The notebook is read-only.');
  const shared = model.sharedModel;
  const active = at === undefined && notebook.activeCellIndex >= 0 && notebook.activeCellIndex < shared.cells.length ? notebook.activeCellIndex : -1;
  const blank = active >= 0 && isBlank(shared.cells[active].getSource(), shared.cells[active].toJSON() as { outputs?: unknown[] });
  const index = at ?? (active < 0 ? shared.cells.length : blank ? active : active + 1);
  shared.transact(() => {
    if (blank) shared.deleteCell(active);
    shared.insertCells(
      index,
      // A code cell the user asked for is trusted, as NotebookActions.insertBelow marks its new cells
      // (@jupyterlab/notebook 4, actions.js: `metadata: { trusted: true }`): else Notebook 7 turns "Not Trusted".
      cells.map(c => ({ cell_type: c.cell_type, source: c.source, metadata: c.cell_type === 'code' ? { trusted: true } : {} }))
    );
  });
  notebook.activeCellIndex = index + cells.length - 1;
  // Show where the batch starts: its title, not its last cell.
  void notebook.scrollToItem(index, 'start');
  return index;
}

/** Nothing typed and nothing printed: a cell a user loses nothing by seeing replaced. */
function isBlank(source: string, json: { outputs?: unknown[] }): boolean {
  return source.trim() === '' && (json.outputs ?? []).length === 0;
}
