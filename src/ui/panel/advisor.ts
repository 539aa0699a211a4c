import { CellRequest, CellRequestError, renderCells } from '../../core';
import { modelForTask } from '../../core/codegen';
import type { Cell } from '../../core/codegen';
import { Language, t } from '../../core/i18n';
import { CatalogError, MODELS, ModelEntry, validateCatalog } from '../../core';
import type { Recommendation } from '../../core';
import { restoreChoices, RuntimeAdvice, advise, cellRequest, Choices, defaultChoices, DEFAULT_PREFERENCES, loadingRequest, outputFolder, Preferences } from './choices';
import { Calibration, calibrationFrom, judgeRecord, parseCalibrations, RecordState, withCalibration, withoutCalibration } from '../../core/runs';
import { Emitter, InsertOutcome, PanelHost } from './host';
import { formatCount } from '../format';
import { modelPathFor } from './paths';
import { MeasureAnswer, measureKey, measureRequest, MeasureRefusal, MeasureRequest } from './measure';

/** A model the user pointed at by its config.json: its row, and its folder on the server. */
interface LocalModel {
  entry: ModelEntry;
  folder: string; // server-relative, as the contents API names it
}

/** "Measure exactly" for one plan: not asked yet, tracing, or the kernel's answer. */
export type MeasureState = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; answer: MeasureAnswer };

/** What the panel offers beside the estimate: nothing (no plan yet), why not, or the control and its state. */
export type MeasureOffer =
  | { kind: 'none' }
  | { kind: 'refused'; reason: MeasureRefusal }
  | { kind: 'unavailable' }
  | { kind: 'ready'; modelId: string; remoteCode: boolean; unknownFamily: boolean; state: MeasureState };

/** The advice for the current runtime, or why there is none yet. */
export type AdviceState = { kind: 'waiting' } | { kind: 'ready'; advice: RuntimeAdvice } | { kind: 'error'; message: string };

/**
 * The panel's choices and what follows from them: recommendations and the estimate
 * (recomputed only when the choices or the runtime change), and the two insert actions, which
 * either write every cell or none and always answer with the notice to show. Host-neutral:
 * the runtime and the notebook come through `host` (the sidebar's or the widget's).
 */
export class AdvisorModel {
  constructor(readonly host: PanelHost, lang: Language) {
    this._lang = lang;
    this._choices = defaultChoices(lang);
    host.changed.connect(() => {
      this._invalidate();
      // A model chosen before the runtime was known: its trace waits for it.
      if (this._traceWhenReady !== null) void this._traceUncounted();
    });
  }

  /** Fires on every change the panel shows: choices, runtime, language, settings, notice. */
  get changed(): Emitter {
    return this._changed;
  }

  get lang(): Language {
    return this._lang;
  }

  get choices(): Choices {
    return this._choices;
  }

  /** The last insert's outcome, for the role=status line. */
  get notice(): string {
    return this._notice;
  }

  /** Choices a host kept (a reload): checked field by field, and the data language counts as picked. */
  restore(saved: unknown): void {
    const next = restoreChoices(saved, this._choices);
    if (next.dataLanguage !== this._choices.dataLanguage) this._dataLanguagePicked = true;
    this._choices = next;
    this._invalidate();
  }

  /** The sidebar's language; until the user picks a data language, it follows (中文 → zh). */
  setLanguage(lang: Language): void {
    this._lang = lang;
    if (!this._dataLanguagePicked) this._choices = { ...this._choices, dataLanguage: defaultChoices(lang).dataLanguage };
    this._invalidate();
  }

  /**
   * The settings: download source, folders, and the user's own catalog rows (validated here;
   * rows that fail are left out and the notice says why). A user's row replaces a catalog row
   * of the same id.
   */
  setPreferences(prefs: Preferences, customModels: unknown): void {
    this._prefs = prefs;
    let own: ModelEntry[] = [];
    try {
      own = validateCatalog(customModels ?? []);
      this._notice = '';
    } catch (e) {
      this._notice = t(this._lang, 'ui.customModelsInvalid', { message: e instanceof CatalogError || e instanceof Error ? e.message : String(e) });
    }
    this._own = own;
    this._rebuildModels();
    this._invalidate();
  }

  /** "Measure exactly" for the chosen model and plan, as the panel shows it. */
  get measureOffer(): MeasureOffer {
    const built = this._measureRequest(false);
    if (built.kind !== 'ready') return built;
    return { kind: 'ready', modelId: built.modelId, remoteCode: built.remoteCode, unknownFamily: built.unknownFamily, state: this._measured.get(measureKey(built.request)) ?? { kind: 'idle' } };
  }

  /**
   * Trace the chosen plan in the kernel; the answer is kept for that plan (a change of model,
   * length, batch or GPU shows the new plan's state). `allowRemoteCode`: the user clicked through
   * the warning that the model's own code runs; without it that code is never sent for.
   * Resolves when the answer is shown.
   */
  async measureExactly(allowRemoteCode = false): Promise<void> {
    const built = this._measureRequest(allowRemoteCode);
    if (built.kind !== 'ready' || !this.host.measureExactly) return;
    const key = measureKey(built.request);
    if (this._measured.get(key)?.kind === 'running') return;
    this._measured.set(key, { kind: 'running' });
    this._changed.emit();
    let answer: MeasureAnswer;
    try {
      answer = await this.host.measureExactly(built.request);
    } catch (e) {
      answer = { ok: false, code: 'unavailable', message: e instanceof Error ? e.message : String(e) };
    }
    this._measured.set(key, { kind: 'done', answer });
    this._changed.emit();
  }

  private _measureRequest(allowRemoteCode: boolean):
    | Exclude<MeasureOffer, { kind: 'ready' }>
    | { kind: 'ready'; modelId: string; remoteCode: boolean; unknownFamily: boolean; request: MeasureRequest } {
    const state = this.advice;
    const chosen = state.kind === 'ready' ? state.advice.chosen : null;
    if (state.kind !== 'ready' || !chosen) return { kind: 'none' };
    const model = chosen.model;
    const local = this._local.find(m => m.entry.id === model.id);
    const remoteRef = allowRemoteCode && model.trust_remote_code ? (local ? modelPathFor(local.folder, this.host.notebookPath) : model.id) : undefined;
    const built = measureRequest(modelForTask(model, this._choices.task), this._choices.task, chosen.plan, state.advice.gpu, { remoteRef, source: this._prefs.source });
    if (!built.ok) return { kind: 'refused', reason: built.reason };
    if (!this.host.measureExactly || this.host.kernelGone) return { kind: 'unavailable' };
    return { kind: 'ready', modelId: model.id, remoteCode: model.trust_remote_code, unknownFamily: chosen.plan !== null && !chosen.plan.known, request: built.request };
  }

  /**
   * A model folder the user pointed at (its config.json, read by the caller): listed beside the
   * catalog, chosen, and loaded from `folder` by the cells. A family the parameter counter does
   * not know is still chosen; the estimate then says it cannot estimate, and the cells fall back
   * to conservative settings — and, as for a Hub model, the trace is asked for at once and
   * becomes its estimate (unless its architecture is its own code: that waits for the click).
   * Resolves when the trace's answer is shown.
   */
  async useLocalModel(entry: ModelEntry, folder: string): Promise<void> {
    this._local = [{ entry, folder }, ...this._local.filter(m => m.entry.id !== entry.id)];
    this._rebuildModels();
    this._notice = t(this._lang, 'ui.configUsed', { model: entry.id, family: String(entry.config.model_type) });
    this.update({ modelId: entry.id });
    this._traceWhenReady = entry.id;
    await this._traceUncounted();
  }

  /**
   * Any Hub id: the host reads its config.json through the kernel (from the settings' download
   * source); the model is listed beside the catalog and chosen, and the cells download it by
   * its id. A failure (gated, missing, offline, timeout, remote code) is the notice; nothing
   * else changes. Resolves when the answer is shown.
   */
  async useHubModel(id: string): Promise<void> {
    const lang = this._lang;
    const model = id.trim();
    if (!this.host.fetchHubModel) return this.setNotice(t(lang, 'ui.hubUnavailable'));
    if (model === '') return;
    this.setNotice(t(lang, 'ui.hubFetching', { model }));
    let result;
    try {
      result = await this.host.fetchHubModel(model, this._prefs.source);
    } catch (e) {
      result = { ok: false as const, code: 'offline' as const, message: e instanceof Error ? e.message : String(e) };
    }
    if (!result.ok) return this.setNotice(t(this._lang, `ui.hub.${result.code}`, { model, message: result.message }));
    const entry = result.model;
    this._hub = [entry, ...this._hub.filter(m => m.id !== entry.id)];
    this._rebuildModels();
    this._notice = t(this._lang, 'ui.hubUsed', { model: entry.id, family: String(entry.config.model_type) });
    this.update({ modelId: entry.id });
    this._traceWhenReady = entry.id;
    await this._traceUncounted();
  }

  /**
   * A model just chosen from the Hub or a folder, of a family the counter does not know: the
   * trace is its estimate, asked for at once — never for a model whose own code would have to
   * run (that waits for the user's explicit click), nor for one the tracer cannot take. Chosen
   * before the runtime or the kernel is known (a right-click on a config.json as the notebook
   * opens), it is asked for once they are, unless another model was chosen meanwhile.
   */
  private async _traceUncounted(): Promise<void> {
    const offer = this.measureOffer;
    if (offer.kind === 'none' || offer.kind === 'unavailable') return;
    const wanted = this._traceWhenReady;
    this._traceWhenReady = null;
    if (offer.kind === 'ready' && offer.modelId === wanted && offer.unknownFamily && !offer.remoteCode && offer.state.kind === 'idle') await this.measureExactly();
  }

  /** A config.json that could not be used: say why in the status line; nothing else changes. */
  configFailed(path: string, message: string): void {
    this._notice = t(this._lang, 'ui.configInvalid', { path, message });
    this._changed.emit();
  }

  /** True while a slider is being dragged: the list keeps its last verdicts until `commit`. */
  get previewing(): boolean {
    return this._preview;
  }

  /**
   * Change what the user asked; a new task, language or method resets the ticked steps. With
   * `preview` (a slider moving) only the chosen model is re-estimated, so each move costs a
   * few estimates instead of the whole catalog's (bench/slider); `commit` recomputes the list.
   */
  update(change: Partial<Choices>, preview = false): void {
    this._keepList = preview && this._advice?.kind === 'ready' ? this._advice.advice.recommendations : preview ? this._keepList : null;
    this._preview = preview && this._keepList !== null;
    if (change.dataLanguage !== undefined) this._dataLanguagePicked = true;
    const next = { ...this._choices, ...change };
    if (change.method !== undefined || change.modelId !== undefined || change.task !== undefined || change.target !== undefined) {
      if (change.steps === undefined) next.steps = null;
      // A batch set for one model or GPU need not fit another: back to the largest that fits.
      if (change.batch === undefined) next.batch = null;
    }
    if (change.task !== undefined && change.seqLen === undefined) next.seqLen = this._lengthForTask(change.task, next.seqLen);
    this._choices = next;
    this._invalidate();
  }

  /**
   * A new task keeps the length when some model of that task reads it; otherwise the longest any
   * of them reads. BERT-family models (NER, QA, classification) read 512 tokens: the chat
   * default of 1,024 would leave the list empty, with no word of why.
   */
  private _lengthForTask(task: Choices['task'], seqLen: number): number {
    const longest = Math.max(0, ...this._models.filter(m => m.tasks.includes(task)).map(m => (m.context_length > 0 ? m.context_length : Infinity)));
    return longest > 0 && seqLen > longest ? longest : seqLen;
  }

  get advice(): AdviceState {
    if (this._advice) return this._advice;
    const state = this.host.runtime;
    if (state.kind !== 'ready') {
      this._advice = { kind: 'waiting' };
    } else {
      try {
        this._advice = { kind: 'ready', advice: advise(this._choices, state.report, this._models, this._preview ? this._keepList ?? undefined : undefined) };
      } catch (e) {
        this._advice = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
      }
    }
    return this._advice;
  }

  /** A slider let go: the list is judged again at the new length, so every card agrees with the estimate. */
  commit(): void {
    if (!this._preview) return;
    this._preview = false;
    this._keepList = null;
    this._invalidate();
  }

  /** Every ticked step's cells for the chosen model, below the active cell. */
  insertCells(): void {
    this.commit();
    this._insert(false);
  }

  /** Where the weights come from and the load, for the chosen model (the top recommendation by default). */
  insertLoadingCell(): void {
    this.commit();
    this._insert(true);
  }

  /**
   * The cells "Insert cells" (or, with `loadingOnly`, "Insert loading cell") would write,
   * rendered, or the notice that says why there are none. A host's "Copy all" and
   * "Download .ipynb" take the same cells.
   */
  renderChosen(loadingOnly = false): { ok: true; cells: Cell[] } | { ok: false; notice: string } {
    const lang = this._lang;
    const failed = (message: string) => ({ ok: false as const, notice: t(lang, 'ui.insertFailed', { message }) });
    const state = this.advice;
    if (state.kind === 'waiting') return failed(t(lang, 'ui.runtimeUnknown'));
    if (state.kind === 'error') return failed(state.message);
    const chosen = state.advice.chosen;
    if (!chosen) return failed(t(lang, 'ui.chooseModel'));
    if (!chosen.estimate.ok && chosen.estimate.reason === 'seq-len') {
      return failed(t(lang, 'ui.seqLenInvalid', { min: formatCount(chosen.estimate.min), max: formatCount(chosen.estimate.max) }));
    }
    if (chosen.steps.length === 0) return failed(t(lang, 'ui.noSteps'));
    const request = loadingOnly ? loadingRequest : cellRequest;
    try {
      // Render everything first: a request the generator refuses writes nothing.
      // Cells for another GPU than this runtime's do not carry this machine's RAM, disk or packages.
      const asked = request(this._choices, chosen, state.advice.gpu, state.advice.otherTarget ? undefined : this._report()!, lang, this._prefs);
      return { ok: true, cells: renderCells(this._withLocalPath(asked, this.host.notebookPath)) };
    } catch (e) {
      // CellRequestError says what to change in the user's words; anything else is still a message, not a crash.
      return failed(e instanceof CellRequestError || e instanceof Error ? e.message : String(e));
    }
  }

  /** Show a host's own outcome (a copy, a download) in the status line. */
  setNotice(notice: string): void {
    this._notice = notice;
    this._changed.emit();
  }

  private _insert(loadingOnly: boolean): void {
    const outcome = this._tryInsert(loadingOnly);
    if (typeof outcome === 'string') this.setNotice(outcome);
    else void outcome.then(notice => this.setNotice(notice));
  }

  /** The notice for an insert: at once when the host inserts synchronously (the sidebar), later when it must ask. */
  private _tryInsert(loadingOnly: boolean): string | Promise<string> {
    const lang = this._lang;
    if (!this.host.canInsert) return t(lang, 'ui.noNotebook');
    const rendered = this.renderChosen(loadingOnly);
    if (!rendered.ok) return rendered.notice;
    const failed = (e: unknown) => t(lang, 'ui.insertFailed', { message: e instanceof Error ? e.message : String(e) });
    const done = (o: InsertOutcome) => o.notice ?? (o.count === 1 ? t(lang, 'ui.inserted_one') : t(lang, 'ui.inserted', { count: formatCount(o.count) }));
    try {
      const outcome = this.host.insertCells(rendered.cells);
      return outcome instanceof Promise ? outcome.then(done, failed) : done(outcome);
    } catch (e) {
      return failed(e);
    }
  }

  /** A local model loads from its folder, as seen from the notebook the cells go into. */
  private _withLocalPath(request: CellRequest, notebookPath: string | null): CellRequest {
    const local = this._local.find(m => m.entry.id === request.model.id);
    return local ? { ...request, modelPath: modelPathFor(local.folder, notebookPath) } : request;
  }

  /** The user's config folders first, then their settings rows, then the catalog; an earlier row wins an id. */
  private _rebuildModels(): void {
    const rows = [...this._local.map(m => m.entry), ...this._hub, ...this._own, ...MODELS];
    const seen = new Set<string>();
    this._models = rows.filter(m => {
      const id = m.id.toLowerCase();
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  private _report() {
    const state = this.host.runtime;
    return state.kind === 'ready' ? state.report : null;
  }

  private _invalidate(): void {
    this._advice = null;
    this._changed.emit();
    // The run record follows the chosen model and the runtime; read after this change settles.
    if (this.host.readRunRecord && !this._recordQueued) {
      this._recordQueued = true;
      queueMicrotask(() => {
        this._recordQueued = false;
        this._syncRecord(false);
      });
    }
  }

  /** The record the train cell left for the chosen model and method on this runtime, as last read. */
  get runRecord(): RecordState {
    return this._record;
  }

  /** The calibrations the user keeps (from the host's settings), newest first. */
  get calibrations(): readonly Calibration[] {
    return this._calibrations;
  }

  /** True when the host can keep a calibration (the sidebar's settings, the widget's storage). */
  get canCalibrate(): boolean {
    return this.host.keepCalibrations !== undefined;
  }

  /** Calibrations as the host keeps them: each entry checked, a bad one left out. */
  setCalibrations(value: unknown): void {
    const next = parseCalibrations(value);
    if (JSON.stringify(next) === JSON.stringify(this._calibrations)) return;
    this._calibrations = next;
    this._invalidate();
  }

  /** "Use the measured peak for this runtime": the record's calibration, kept by the host. */
  useMeasuredPeak(): void {
    const record = this._record;
    const c = record.kind === 'ok' ? calibrationFrom(record.record) : null;
    if (c === null || !this.host.keepCalibrations) return;
    this._calibrations = withCalibration(this._calibrations, c);
    this.host.keepCalibrations(this._calibrations);
    this._invalidate();
  }

  /** Drop a kept calibration: the verdict is the estimate's own again. */
  dropCalibration(c: Pick<Calibration, 'gpu' | 'model' | 'method'>): void {
    this._calibrations = withoutCalibration(this._calibrations, c);
    this.host.keepCalibrations?.(this._calibrations);
    this._invalidate();
  }

  /** Read the record again (a train cell just ran, "Check again"). */
  refreshRunRecord(): void {
    this._syncRecord(true);
  }

  /**
   * Ask the host for the chosen run's record when what it depends on changed (the runtime's
   * report, the model, the method, the folder), or when `force`d; a later answer wins.
   */
  private _syncRecord(force: boolean): void {
    const state = this.advice;
    const runtime = this.host.runtime;
    const chosen = state.kind === 'ready' && !state.advice.otherTarget ? state.advice.chosen : null;
    if (!chosen || chosen.method === 'inference' || runtime.kind !== 'ready' || !this.host.readRunRecord || this.host.kernelGone) {
      this._recordKey = null;
      if (this._record.kind !== 'none') {
        this._record = { kind: 'none' };
        this._changed.emit();
      }
      return;
    }
    const folder = outputFolder(chosen.model.id, chosen.method, this._prefs);
    const key = `${chosen.model.id}\u0000${chosen.method}\u0000${folder}`;
    if (!force && key === this._recordKey && runtime.report === this._recordReport) return;
    this._recordKey = key;
    this._recordReport = runtime.report;
    const generation = ++this._recordGeneration;
    const wanted = { model: chosen.model.id, method: chosen.method, gpu: runtime.report.gpus[0]?.name ?? null };
    void this.host.readRunRecord(folder).then(answer => {
      if (generation !== this._recordGeneration) return;
      this._record = answer === null ? { kind: 'none' } : judgeRecord(answer, wanted);
      this._changed.emit();
    });
  }

  private _lang: Language;
  private _choices: Choices;
  private _advice: AdviceState | null = null;
  private _notice = '';
  private _prefs: Preferences = DEFAULT_PREFERENCES;
  private _models: readonly ModelEntry[] = MODELS;
  private _own: ModelEntry[] = [];
  private _local: LocalModel[] = [];
  private _hub: ModelEntry[] = [];
  private _dataLanguagePicked = false;
  private _preview = false;
  private _keepList: Recommendation[] | null = null;
  private _measured = new Map<string, MeasureState>();
  /** A model of an uncounted family chosen before its trace could be asked for (see `_traceUncounted`). */
  private _traceWhenReady: string | null = null;
  private _changed = new Emitter();
  private _record: RecordState = { kind: 'none' };
  private _recordQueued = false;
  private _recordKey: string | null = null;
  private _recordReport: unknown = null;
  private _recordGeneration = 0;
  private _calibrations: Calibration[] = [];
}
