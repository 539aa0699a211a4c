import { NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import type { Cell } from '../core/codegen';
import type { HubResult, HubSource } from '../core/catalog';
import { fetchHubModel } from './hub';
import { Emitter, InsertOutcome, PanelHost, RuntimeState } from '../ui/panel/host';
import { insertCellsBelowActive } from './insert';
import { probeKernel } from './probe';
import { readRunRecord } from './runRecord';
import type { Calibration } from '../core/runs';
import { measureInKernel } from './measure';
import type { MeasureAnswer, MeasureRequest } from '../ui/panel/measure';

/**
 * The panel's host in JupyterLab. Follows the active notebook and its kernel, and probes the
 * runtime whenever it may have changed: a new notebook, a new kernel, a restart; inserts cells
 * below the active cell of that notebook. The panel only reads `runtime`.
 */
export class LabHost implements PanelHost {
  get state(): RuntimeState {
    return this._state;
  }

  get runtime(): RuntimeState {
    return this._state;
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  get changed(): Emitter {
    return this._changed;
  }

  get canInsert(): boolean {
    return this._panel !== null;
  }

  get notebookPath(): string | null {
    return this._panel?.context.localPath ?? null;
  }

  /** Every cell below the active one, in one transaction (see insert.ts); throws when the notebook cannot take them. */
  insertCells(cells: readonly Cell[]): InsertOutcome {
    if (!this._panel) throw new Error('no notebook is open');
    insertCellsBelowActive(this._panel, cells);
    return { count: cells.length };
  }

  /** Any Hub id, read by this notebook's kernel (its network, mirror and token): see hub.ts. */
  async fetchHubModel(id: string, source: HubSource): Promise<HubResult> {
    const kernel = this._panel?.sessionContext.session?.kernel;
    if (!kernel) return { ok: false, code: 'offline', message: 'this notebook has no kernel' };
    return fetchHubModel(kernel, id, source);
  }

  /** The train cell's run record in `folder`, read by this notebook's kernel (see runRecord.ts). */
  async readRunRecord(folder: string): Promise<unknown> {
    const kernel = this._panel?.sessionContext.session?.kernel;
    return kernel ? readRunRecord(kernel, folder) : null;
  }

  /** Calibrations go to JupyterLab's settings (the plugin sets the store once they are loaded). */
  keepCalibrations(calibrations: readonly Calibration[]): void {
    this.calibrationStore?.(calibrations);
  }

  calibrationStore: ((calibrations: readonly Calibration[]) => void) | null = null;

  /** "Measure exactly": this notebook's kernel traces the plan (see measure.ts). */
  async measureExactly(request: MeasureRequest): Promise<MeasureAnswer> {
    const kernel = this._panel?.sessionContext.session?.kernel;
    if (!kernel) return { ok: false, code: 'unavailable', message: 'this notebook has no kernel' };
    return measureInKernel(kernel, request);
  }

  refreshRuntime(): void {
    void this.refresh();
  }

  /** Follow another notebook (or none). */
  setNotebook(panel: NotebookPanel | null): void {
    if (panel === this._panel) return;
    if (this._panel) {
      this._panel.sessionContext.kernelChanged.disconnect(this._onKernelChanged, this);
      this._panel.sessionContext.statusChanged.disconnect(this._onStatusChanged, this);
      this._panel.disposed.disconnect(this._onDisposed, this);
    }
    this._panel = panel;
    this._changed.emit();
    if (!panel) {
      this._set({ kind: 'no-notebook' });
      return;
    }
    panel.sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    panel.sessionContext.statusChanged.connect(this._onStatusChanged, this);
    panel.disposed.connect(this._onDisposed, this);
    void this.refresh();
  }

  /** Probe the current kernel again (the sidebar's refresh button, a restart, a new kernel). */
  async refresh(): Promise<void> {
    const panel = this._panel;
    if (!panel) return this._set({ kind: 'no-notebook' });
    const generation = ++this._generation;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session?.kernel;
    if (generation !== this._generation) return; // superseded by a newer refresh
    if (!kernel) return this._set({ kind: 'no-kernel' });
    let language = '';
    try {
      language = (await kernel.info).language_info.name ?? '';
    } catch {
      // No kernel info yet (a dead kernel): the probe's own error will say why.
    }
    if (generation !== this._generation) return;
    if (language && language.toLowerCase() !== 'python') {
      return this._set({ kind: 'not-python', language });
    }
    this._set({ kind: 'probing', busy: kernel.status === 'busy' });
    const result = await probeKernel(kernel);
    if (generation !== this._generation) return;
    this._set(result.ok ? { kind: 'ready', report: result.report } : { kind: 'error', message: result.error });
  }

  private _onKernelChanged(): void {
    void this.refresh();
  }

  private _onStatusChanged(_: unknown, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      // A restart drops every request in flight: forget the one we sent, ask again once idle.
      this._restarting = true;
      this._generation++;
      this._set({ kind: 'probing', busy: false });
    } else if (status === 'idle' && this._restarting) {
      this._restarting = false;
      void this.refresh();
    } else if (this._state.kind === 'probing') {
      this._set({ kind: 'probing', busy: status === 'busy' && this._state.busy });
    }
  }

  private _onDisposed(): void {
    this.setNotebook(null);
  }

  private _set(state: RuntimeState): void {
    this._state = state;
    this._changed.emit();
  }

  private _panel: NotebookPanel | null = null;
  private _state: RuntimeState = { kind: 'no-notebook' };
  private _generation = 0;
  private _restarting = false;
  private _changed = new Emitter();
}
