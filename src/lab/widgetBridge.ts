import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { INSERT_EVENT, InsertEventDetail, validCells } from '../ui/panel/bridge';
import { insertCellsBelowActive } from './insert';

/**
 * The extension's side of the notebook widget's insert (see ui/panel/bridge.ts): a widget in
 * any notebook's output asks through a DOM event, and the cells go in below the cell whose
 * output holds the widget — in the front end, with no kernel round trip. Returns what removes
 * the listener.
 */
export function listenForWidgetInserts(tracker: INotebookTracker, root: Document = document): () => void {
  /** Per widget cell (its id), the last cell of the batch it inserted last. */
  const lastBatch = new Map<string, string>();
  /** Below the widget's cell, or below its last batch when that batch's last cell is still below it. */
  const afterLastBatch = (panel: NotebookPanel, owner: number): number => {
    const shared = panel.content.model!.sharedModel;
    const last = lastBatch.get(shared.cells[owner].getId());
    const at = last === undefined ? -1 : shared.cells.findIndex(c => c.getId() === last);
    return at > owner ? at + 1 : owner + 1;
  };
  const onInsert = (event: Event) => {
    const detail = (event as CustomEvent<InsertEventDetail>).detail;
    const target = event.target;
    if (!detail || typeof detail !== 'object' || detail.answer || !(target instanceof Node)) return;
    const panel = tracker.find(p => p.node.contains(target));
    if (!panel) return; // not in a notebook we know: leave it to the widget's other paths
    const cells = validCells(detail.cells);
    if (!cells) {
      detail.answer = { ok: false, message: 'the widget sent cells the extension does not accept' };
      return;
    }
    const widgets = panel.content.widgets;
    const below = widgets.findIndex(cell => cell.node.contains(target));
    try {
      const at = below >= 0 ? afterLastBatch(panel, below) : undefined;
      const index = insertCellsBelowActive(panel, cells, at);
      // The batch's last cell, so this widget's next insert goes below it (README: "a second insert goes below the first batch").
      const last = panel.content.model?.sharedModel.cells[index + cells.length - 1];
      const owner = below >= 0 ? panel.content.model?.sharedModel.cells[below] : undefined;
      if (last && owner) lastBatch.set(owner.getId(), last.getId());
      detail.answer = { ok: true, count: cells.length };
    } catch (e) {
      detail.answer = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  };
  root.addEventListener(INSERT_EVENT, onInsert);
  return () => root.removeEventListener(INSERT_EVENT, onInsert);
}
