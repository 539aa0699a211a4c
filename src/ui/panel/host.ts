/**
 * What a panel needs from the place it runs in — the JupyterLab sidebar (src/lab) or a
 * notebook widget's output (src/widget). Nothing here imports JupyterLab: the panel, its
 * choices and its advice are the same code in every host; a host only supplies this.
 *
 *   probe the runtime   `runtime` + `refreshRuntime()` (+ `changed` when either moves)
 *   insert cells        `canInsert`, `notebookPath`, `insertCells(cells)`
 *   any Hub model       `fetchHubModel(id, source)` (optional: the kernel reads config.json)
 *   measure exactly     `measureExactly(request)` (optional: the kernel traces the plan)
 *   settings, language  pushed by the host into the model: `AdvisorModel.setLanguage`,
 *                       `AdvisorModel.setPreferences` (JupyterLab's settings registry, or the
 *                       widget's traits), since both change under the panel.
 *   the last run        `readRunRecord(folder)` (optional: the kernel reads the train cell's
 *                       record), `keepCalibrations(list)` (optional: where the user's
 *                       calibrations are kept; they come back through `AdvisorModel.setCalibrations`)
 */
import type { HubResult, HubSource } from '../../core/catalog';
import type { Cell } from '../../core/codegen';
import type { GpuReport } from '../../core/report';
import type { Calibration } from '../../core/runs';
import type { MeasureAnswer, MeasureRequest } from './measure';

/** A change notice without a toolkit: `connect` returns the function that disconnects. */
export class Emitter {
  connect(listener: () => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  emit(): void {
    for (const listener of [...this._listeners]) listener();
  }

  private _listeners = new Set<() => void>();
}

/**
 * What a host knows of its runtime: one state per thing that can happen, so the panel has
 * something explicit to say for each (RuntimeView).
 */
export type RuntimeState =
  | { kind: 'no-notebook' }
  | { kind: 'no-kernel' }
  | { kind: 'not-python'; language: string }
  | { kind: 'probing'; busy: boolean } // busy: the kernel is running the user's code; we wait our turn
  | { kind: 'ready'; report: GpuReport }
  | { kind: 'error'; message: string };

/** How an insert went: how many cells, and (when the host has several ways) the way it took, in the user's words. */
export interface InsertOutcome {
  count: number;
  /** The whole notice to show instead of "Inserted N cells…" (e.g. "Copied 5 cells: paste them…"). */
  notice?: string;
}

export interface PanelHost {
  /** The runtime as the host knows it now. */
  readonly runtime: RuntimeState;
  /** "Check again": probe the runtime anew; `changed` fires as the state moves. */
  refreshRuntime(): void;
  /** False while there is nowhere to put cells (no notebook): the insert buttons are disabled. */
  readonly canInsert: boolean;
  /** The notebook the cells go into (server-relative), for a local model's path; null when unknown. */
  readonly notebookPath: string | null;
  /**
   * Write every cell or none. Throws (or rejects) with a message the user can act on when it
   * cannot; the panel shows it as "Nothing was inserted: …".
   */
  insertCells(cells: readonly Cell[]): InsertOutcome | Promise<InsertOutcome>;
  /**
   * True when the kernel the panel lives in can no longer be reached (a widget whose kernel
   * restarted): the panel says first that its cell must run again, and keeps its last plan, so
   * what needs no kernel (copying, downloading, the extension's insert) still works.
   */
  readonly kernelGone?: boolean;
  /** Fires when `runtime`, `canInsert`, `notebookPath` or `kernelGone` change. */
  readonly changed: Emitter;
  /**
   * Read a Hub id's config.json (and safetensors index or header) through the runtime, from
   * the download source of the settings; never rejects — a failure is a result that names it.
   * Absent where the host has no way to run the fetch.
   */
  fetchHubModel?(id: string, source: HubSource): Promise<HubResult>;
  /**
   * Read the run record the train cell left in `folder` (relative to the notebook, as the cells
   * name it) through the runtime, silently, as the probe runs: resolves with the reader's answer
   * (python_snippets/run_record.py's JSON object), or null when the runtime could not be asked.
   * Never rejects. Absent where the host has no way to read it.
   */
  readRunRecord?(folder: string): Promise<unknown>;
  /** Keep the user's calibrations where this host keeps settings; never sent anywhere. Absent: none offered. */
  keepCalibrations?(calibrations: readonly Calibration[]): void;
  /**
   * "Measure exactly": the kernel traces the plan's training step on fake tensors (no weights)
   * and answers; never rejects — a kernel without torch, a config transformers cannot build, a
   * trace past its budget are answers that name it. Absent where the host cannot reach a kernel.
   */
  measureExactly?(request: MeasureRequest): Promise<MeasureAnswer>;
}
