import { NotebookPanel } from '@jupyterlab/notebook';
import { Cell } from '../core/codegen';

/**
 * The one way the advisor writes into a notebook: all cells at `at` (default: below the active
 * cell), in a single shared-model transaction, so a notebook is never left half written.
 * Returns the index of the first inserted cell.
 */
export function insertCellsBelowActive(panel: NotebookPanel, cells: readonly Pick<Cell, 'cell_type' | 'source'>[], at?: number): number {
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) throw new Error('The notebook has not loaded yet.');
  if (model.readOnly || !notebook.model?.sharedModel) throw new Error('The notebook is read-only.');
  if (at === undefined) at = notebook.activeCellIndex >= 0 ? notebook.activeCellIndex + 1 : model.cells.length;
  const index = at;
  model.sharedModel.transact(() => {
    model.sharedModel.insertCells(
      index,
      cells.map(c => ({ cell_type: c.cell_type, source: c.source, metadata: {} }))
    );
  });
  notebook.activeCellIndex = index;
  return index;
}
