import { NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';
import { GpuReport } from '../core/report';
import { probeKernel } from './probe';

/**
 * What the sidebar knows of the active notebook's runtime. One state per thing that can
 * happen, so the view has something explicit to say for each.
 */
export type RuntimeState =
  | { kind: 'no-notebook' }
  | { kind: 'no-kernel' }
  | { kind: 'not-python'; language: string }
  | { kind: 'probing'; busy: boolean } // busy: the kernel is running the user's code; we wait our turn
  | { kind: 'ready'; report: GpuReport }
  | { kind: 'error'; message: string };

/**
 * Follows the active notebook and its kernel, and probes the runtime whenever it may have
 * changed: a new notebook, a new kernel, a restart. The sidebar only reads `state`.
 */
export class RuntimeModel {
  get state(): RuntimeState {
    return this._state;
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  get stateChanged(): ISignal<this, RuntimeState> {
    return this._stateChanged;
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
    this._stateChanged.emit(state);
  }

  private _panel: NotebookPanel | null = null;
  private _state: RuntimeState = { kind: 'no-notebook' };
  private _generation = 0;
  private _restarting = false;
  private _stateChanged = new Signal<this, RuntimeState>(this);
}
