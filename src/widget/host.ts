/**
 * The panel's host inside a notebook widget (anywidget), wherever widgets render: Colab,
 * Jupyter Notebook 7, JupyterLab with or without our extension, VS Code. Nothing here imports
 * JupyterLab (src/lab): the runtime comes from the kernel the widget lives in (the Python side
 * runs the same gpu_probe.py in-process), and cells go in by the first path that answers.
 */
import type { Cell } from '../core/codegen';
import { toPercentScript } from '../core/codegen';
import { HubAnswer, HubResult, HubSource, idProblem, modelFromHub } from '../core/catalog';
import { Language, t } from '../core/i18n';
import { parseGpuReport } from '../core/report';
import { INSERT_EVENT, InsertEventDetail } from '../ui/panel/bridge';
import { Emitter, InsertOutcome, PanelHost } from '../ui/panel/host';
import type { RuntimeState } from '../ui/panel/host';
import type { Calibration } from '../core/runs';

/** Where the widget keeps the user's calibrations: this page's origin, as it keeps the download source. */
const CALIBRATIONS_KEY = 'jupyterlab-model-advisor:calibrations';

/** The calibrations kept in this browser (unchecked: AdvisorModel.setCalibrations checks each). */
export function savedCalibrations(): unknown {
  try {
    return JSON.parse(window.localStorage.getItem(CALIBRATIONS_KEY) ?? '[]') as unknown;
  } catch {
    return [];
  }
}
import { MeasureAnswer, MeasureRequest, parseMeasureAnswer } from '../ui/panel/measure';

/** How long the widget waits for a trace: the kernel stops one at its budget (measure.py BUDGET_S, 120 s); this leaves it time to say so. */
const MEASURE_WAIT_MS = 150_000;

/** The part of anywidget's model the widget uses (anywidget's `AnyModel`, kept structural). */
export interface WidgetModel {
  get(name: string): unknown;
  on(event: string, callback: (...args: any[]) => void): void;
  off(event?: string | null, callback?: ((...args: any[]) => void) | null): void;
  send(content: unknown): void;
}

/** The way the last insert took, named in the notice and on the element (data-insert-path). */
export type InsertPath = 'extension' | 'colab' | 'copy' | 'none';

/** Replies from the Python side: `{type, id, ...}` answers the request with the same id. */
interface Reply {
  type: string;
  id?: number;
  ok?: boolean;
  path?: string;
  message?: string;
  count?: number;
  answer?: unknown;
}

/**
 * The model events that say the kernel side is gone. JupyterLab's and Notebook 7's widget
 * manager (@jupyter-widgets/jupyterlab-manager 3.0, `_handleKernelStatusChange`) calls
 * `disconnect()` when the kernel reports "restarting", which sets every model's `comm_live` to
 * false and so triggers "comm_live_update" (@jupyter-widgets/base WidgetModel's `comm_live`
 * setter); the services then dispose the comm (KernelConnection.restart → _clearKernelState),
 * and any later `send` throws "Cannot send". "comm:close" and "destroy" follow a closed comm
 * (`w.close()`, the kernel shut down). anywidget's model proxy passes any event name through.
 */
const GONE_EVENTS = ['comm_live_update', 'comm:close', 'destroy'];

export class WidgetHost implements PanelHost {
  readonly changed = new Emitter();
  readonly canInsert = true; // there is always a way out: the extension, Colab, or the clipboard
  readonly notebookPath = null; // a widget does not know its notebook's path
  lastPath: InsertPath | null = null;

  constructor(private readonly model: WidgetModel, private readonly el: HTMLElement, private readonly lang: () => Language) {
    this._onChange = () => {
      this._runtime = null;
      this.changed.emit();
    };
    this._onMessage = (msg: unknown) => this._reply(msg);
    this._onGone = () => this._lost();
    for (const name of ['report', 'probe_error', 'probing']) model.on(`change:${name}`, this._onChange);
    model.on('msg:custom', this._onMessage);
    for (const name of GONE_EVENTS) model.on(name, this._onGone);
  }

  dispose(): void {
    for (const name of ['report', 'probe_error', 'probing']) this.model.off(`change:${name}`, this._onChange);
    this.model.off('msg:custom', this._onMessage);
    for (const name of GONE_EVENTS) this.model.off(name, this._onGone);
    this._answerPending('the widget was closed');
  }

  /**
   * True once the kernel this widget lives in is gone (restarted, shut down, the comm closed):
   * the panel says so in its first lines, and keeps the last runtime and plan, so copying and
   * downloading the cells still work. Only running the cell again makes a live widget.
   */
  get kernelGone(): boolean {
    return this._gone;
  }

  get runtime(): RuntimeState {
    if (this._runtime) return this._runtime;
    const error = String(this.model.get('probe_error') ?? '');
    const report = String(this.model.get('report') ?? '');
    if (this.model.get('probing')) this._runtime = { kind: 'probing', busy: false };
    else if (error) this._runtime = { kind: 'error', message: error };
    else if (!report) this._runtime = { kind: 'probing', busy: false };
    else {
      // The same validation the sidebar applies to a kernel's answer.
      const parsed = parseGpuReport(report);
      this._runtime = parsed.ok ? { kind: 'ready', report: parsed.report } : { kind: 'error', message: parsed.error };
    }
    return this._runtime;
  }

  /** "Check again": the kernel measures anew and its traits change; nothing to send once it is gone. */
  refreshRuntime(): void {
    if (this._gone) return this.changed.emit();
    this._send({ type: 'probe' });
  }

  /** Any Hub id: the kernel runs the shipped hub_config.py with the id and source as values (a "hub" message). */
  async fetchHubModel(id: string, source: HubSource): Promise<HubResult> {
    const model = id.trim();
    if (this._gone) return { ok: false, code: 'offline', message: t(this.lang(), 'ui.kernelGone') };
    const problem = idProblem(model);
    if (problem !== null || /^[./~]/.test(model)) {
      return { ok: false, code: 'bad_id', message: problem ?? `"${id}" is a local path; give a Hub id such as "Qwen/Qwen2.5-7B-Instruct"` };
    }
    // Up to four files, 20 s each, on the kernel's network.
    const reply = await this.request({ type: 'hub', model, source }, 100_000);
    if (!reply.ok || typeof reply.answer !== 'object' || reply.answer === null) {
      return { ok: false, code: 'offline', message: reply.message ?? 'the kernel did not answer' };
    }
    try {
      return modelFromHub(reply.answer as HubAnswer);
    } catch {
      return { ok: false, code: 'offline', message: 'the kernel printed no answer for the Hub fetch' };
    }
  }

  /** The train cell's run record in `folder`: the kernel runs the shipped run_record.py with the folder as a value (a "record" message). */
  async readRunRecord(folder: string): Promise<unknown> {
    if (this._gone) return null;
    const reply = await this.request({ type: 'record', folder }, 30_000);
    return reply.ok && typeof reply.answer === 'object' ? reply.answer : null;
  }

  /** Kept in this browser only (a sandboxed frame that refuses storage keeps them for this panel). */
  keepCalibrations(calibrations: readonly Calibration[]): void {
    try {
      window.localStorage.setItem(CALIBRATIONS_KEY, JSON.stringify(calibrations));
    } catch {
      // kept for this panel only
    }
  }

  /** "Measure exactly": the kernel side traces the plan (a "measure" message, model_advisor.measure.kernel_answer). */
  async measureExactly(request: MeasureRequest): Promise<MeasureAnswer> {
    if (this._gone) return { ok: false, code: 'unavailable', message: t(this.lang(), 'ui.kernelGone') };
    const reply = await this.request({ type: 'measure', request }, MEASURE_WAIT_MS);
    if (!reply.ok) return { ok: false, code: 'unavailable', message: reply.message ?? 'the kernel did not answer' };
    return parseMeasureAnswer(reply.answer);
  }

  /** The extension first (no kernel round trip), then Colab's own API, then the clipboard. */
  async insertCells(cells: readonly Cell[]): Promise<InsertOutcome> {
    const lang = this.lang();
    const count = cells.length;
    const detail: InsertEventDetail = { cells: cells.map(c => ({ cell_type: c.cell_type, source: c.source })), answer: null };
    this.el.dispatchEvent(new CustomEvent(INSERT_EVENT, { detail, bubbles: true, composed: true }));
    const answer = detail.answer as InsertEventDetail['answer'];
    if (answer) {
      if (!answer.ok) throw new Error(answer.message);
      return this._took('extension', { count: answer.count, notice: t(lang, 'widget.insertedExtension', { count: answer.count }) });
    }
    if (this.model.get('colab')) {
      const reply = await this.request({ type: 'cells', cells: detail.cells }, 120_000);
      if (reply.ok && reply.path === 'colab') return this._took('colab', { count, notice: t(lang, 'widget.insertedColab', { count }) });
    }
    if (await copyText(toPercentScript(cells))) return this._took('copy', { count, notice: t(lang, 'widget.insertCopied', { count }) });
    return this._took('none', { count: 0, notice: t(lang, 'widget.insertNone') });
  }

  /** Ask the Python side; resolves with its answer, or a failed one after `timeoutMs`. */
  request(content: Record<string, unknown>, timeoutMs = 30_000): Promise<Reply> {
    const id = ++this._lastId;
    if (this._gone) return Promise.resolve({ type: 'gone', ok: false, message: t(this.lang(), 'ui.kernelGone') });
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        resolve({ type: 'timeout', ok: false, message: 'the kernel did not answer' });
      }, timeoutMs);
      this._pending.set(id, reply => {
        clearTimeout(timer);
        resolve(reply);
      });
      this._send({ ...content, id });
    });
  }

  /** Send to the kernel side; a comm that is gone throws ("Cannot send"), and that is how the panel learns it. */
  private _send(content: Record<string, unknown>): void {
    try {
      this.model.send(content);
    } catch {
      this._lost();
    }
  }

  /** The kernel side is gone: say so once, and answer every question still waiting. */
  private _lost(): void {
    if (this._gone) return;
    this._gone = true;
    this.el.dataset.kernel = 'gone';
    this._answerPending(t(this.lang(), 'ui.kernelGone'));
    this.changed.emit();
  }

  private _answerPending(message: string): void {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const answer of pending) answer({ type: 'gone', ok: false, message });
  }

  private _took(path: InsertPath, outcome: InsertOutcome): InsertOutcome {
    this.lastPath = path;
    this.el.dataset.insertPath = path;
    return outcome;
  }

  private _reply(msg: unknown): void {
    if (typeof msg !== 'object' || msg === null) return;
    const reply = msg as Reply;
    const pending = typeof reply.id === 'number' ? this._pending.get(reply.id) : undefined;
    if (!pending) return;
    this._pending.delete(reply.id!);
    pending(reply);
  }

  private _runtime: RuntimeState | null = null;
  private _gone = false;
  private _lastId = 0;
  private _pending = new Map<number, (reply: Reply) => void>();
  private readonly _onChange: () => void;
  private readonly _onMessage: (msg: unknown) => void;
  private readonly _onGone: () => void;
}

/**
 * Put text on the clipboard. The async Clipboard API needs a secure context and, inside an
 * output iframe (Colab, VS Code), the frame's permission; the older selection copy still works
 * in many of those. False when neither did.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection copy
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  try {
    area.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** Offer the cells as a notebook file, through the browser's own download. */
export function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
