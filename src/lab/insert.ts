import { NotebookPanel } from '@jupyterlab/notebook';
import { Cell } from '../core/codegen';

/**
 * The one way the advisor writes into a notebook: all cells below the active one, in a
 * single shared-model transaction, so a notebook is never left half written. Returns the
 * index of the first inserted cell.
 */
export function insertCellsBelowActive(panel: NotebookPanel, cells: readonly Cell[]): number {
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) throw new Error('The notebook has not loaded yet.');
  if (model.readOnly || !notebook.model?.sharedModel) throw new Error('The notebook is read-only.');
  const at = notebook.activeCellIndex >= 0 ? notebook.activeCellIndex + 1 : model.cells.length;
  model.sharedModel.transact(() => {
    model.sharedModel.insertCells(
      at,
      cells.map(c => ({ cell_type: c.cell_type, source: c.source, metadata: {} }))
    );
  });
  notebook.activeCellIndex = at;
  return at;
}
