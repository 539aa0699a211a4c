import { INotebookTracker } from '@jupyterlab/notebook';
import { INSERT_EVENT, InsertEventDetail, validCells } from '../ui/panel/bridge';
import { insertCellsBelowActive } from './insert';

/**
 * The extension's side of the notebook widget's insert (see ui/panel/bridge.ts): a widget in
 * any notebook's output asks through a DOM event, and the cells go in below the cell whose
 * output holds the widget — in the front end, with no kernel round trip. Returns what removes
 * the listener.
 */
export function listenForWidgetInserts(tracker: INotebookTracker, root: Document = document): () => void {
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
    const below = panel.content.widgets.findIndex(cell => cell.node.contains(target));
    try {
      insertCellsBelowActive(panel, cells, below >= 0 ? below + 1 : undefined);
      detail.answer = { ok: true, count: cells.length };
    } catch (e) {
      detail.answer = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  };
  root.addEventListener(INSERT_EVENT, onInsert);
  return () => root.removeEventListener(INSERT_EVENT, onInsert);
}
