import * as React from 'react';
import { gpuFromReport, METHODS, TASKS } from '../../core';
import { STEPS } from '../../core/codegen';
import type { Step } from '../../core/codegen';
import type { HubSource } from '../../core/catalog';
import { t } from '../../core/i18n';
import { CellsView, InsertBar, StepsView } from '../CellsView';
import { ChoicesView } from '../ChoicesView';
import { EstimateView } from '../EstimateView';
import { HubModelView } from '../HubModelView';
import { MeasureView } from '../MeasureView';
import { ModelsView, ModelsViewState } from '../ModelsView';
import { PlanForView, profileText } from '../PlanForView';
import { RecipeView } from '../RecipeView';
import { RuntimeView } from '../RuntimeView';
import { RunRecordView } from '../RunRecordView';
import { calibrate, calibrationFrom, findCalibration } from '../../core/runs';
import type { CalibratedFigure } from '../../core/runs';
import type { KnownPlan, Method } from '../../core';
import { newPanelPrefix, PanelIds } from '../ids';
import { formatCount } from '../format';
import { modelRow, ModelRow, timeView, verdictText } from '../rows';
import { platformOf, Platform } from '../../core/speed';
import { AdvisorModel } from './advisor';
import { DATA_LANGUAGES, MAX_SEQ_LEN, MIN_SEQ_LEN, toggleStep, validSeqLen } from './choices';

const METHOD_CHOICES = ['auto', ...METHODS] as const;

export interface AdvisorPanelProps {
  advisor: AdvisorModel;
  /** What a host adds beside the insert buttons (the widget's "Copy all", "Download .ipynb"). */
  extraActions?: React.ReactNode;
  /**
   * "sidebar" (the default): one column, the insert bar sticky at the bottom edge. "output" (a
   * notebook widget): laid out for a cell's output, which scrolls with the notebook — the
   * runtime in one line, the actions second, then what-for, the models and the estimate side by
   * side where the width allows, the breakdown folded: one screen tall at 1400×1000.
   */
  layout?: 'sidebar' | 'output';
  /** A host without settings (the widget) offers the download source beside the Hub box. */
  sourceChoice?: { value: HubSource; onChange(source: HubSource): void };
}

/**
 * The advisor's one panel, the same in every host (the JupyterLab sidebar, a notebook widget):
 * it re-renders on each change of the runtime, the choices, the language or the settings.
 */
export class AdvisorPanel extends React.Component<AdvisorPanelProps, { memoryText: string }> {
  state = { memoryText: '24' };
  /** This panel's ids and radio names, its own among the panels of the page (ids.ts). */
  private readonly _ids = newPanelPrefix();

  componentDidMount(): void {
    this._disconnect = this.props.advisor.changed.connect(() => this.forceUpdate());
  }

  componentWillUnmount(): void {
    this._disconnect?.();
  }

  render(): JSX.Element {
    const advisor = this.props.advisor;
    const host = advisor.host;
    const lang = advisor.lang;
    const choices = advisor.choices;
    const state = advisor.advice;
    const chosen = state.kind === 'ready' ? state.advice.chosen : null;
    const advice = state.kind === 'ready' ? state.advice : null;
    const runtime = host.runtime;
    const runtimeGpu = runtime.kind === 'ready' ? profileText(lang, gpuFromReport(runtime.report)) : null;
    const seqLenError = validSeqLen(chosen?.model, choices.seqLen)
      ? null
      : t(lang, 'ui.seqLenInvalid', { min: formatCount(MIN_SEQ_LEN), max: formatCount(chosen && !chosen.estimate.ok && chosen.estimate.reason === 'seq-len' ? chosen.estimate.max : MAX_SEQ_LEN) });
    const output = this.props.layout === 'output';
    const gone = host.kernelGone ? (
      <p className="jp-ModelAdvisor-gone" role="alert" data-testid="model-advisor-kernel-gone">
        {t(lang, 'ui.kernelGone')}
      </p>
    ) : null;
    const planFor = (
      <PlanForView
        lang={lang}
        target={choices.target}
        runtimeGpu={runtimeGpu}
        otherGpu={advice?.otherTarget ? advice.gpu : null}
        memoryText={this.state.memoryText}
        onChange={change => {
          if (change.memoryText !== undefined) this.setState({ memoryText: change.memoryText });
          if (change.target) advisor.update({ target: change.target });
        }}
      />
    );
    const runtimeView = <RuntimeView lang={lang} state={runtime} compact={output} offline={host.kernelGone} onRefresh={() => host.refreshRuntime()} />;
    const choicesView = (
      <ChoicesView
        lang={lang}
        tasks={TASKS}
        languages={DATA_LANGUAGES}
        methods={METHOD_CHOICES}
        task={choices.task}
        dataLanguage={choices.dataLanguage}
        method={choices.method}
        seqLen={choices.seqLen}
        seqLenError={seqLenError}
        seqLenMax={chosen?.estimate.ok ? advice!.seqLenMax : undefined}
        batch={chosen?.estimate.ok ? chosen.estimate.plan.settings.batch : undefined}
        batchMax={chosen?.estimate.ok ? advice!.batchMax : undefined}
        onChange={(change, preview) => advisor.update(change, preview)}
        onCommit={() => advisor.commit()}
      />
    );
    const recipeView = (
      <RecipeView
        lang={lang}
        method={chosen?.method ?? (choices.method === 'auto' ? null : choices.method)}
        recipe={choices.recipe}
        priced={chosen?.estimate.ok ? chosen.estimate.plan.estimate.recipe : undefined}
        optimizer={choices.optimizer}
        loraR={choices.loraR}
        onChange={change => advisor.update(change)}
      />
    );
    const modelsView = <ModelsView lang={lang} state={this._modelsState()} stale={advisor.previewing} onChoose={id => advisor.update({ modelId: id })} />;
    const hubView = (
      <HubModelView
        lang={lang}
        available={host.fetchHubModel !== undefined && !host.kernelGone}
        notice={advisor.notice}
        source={this.props.sourceChoice}
        onFetch={id => advisor.useHubModel(id)}
      />
    );
    const calibrated = chosen?.estimate.ok && advice ? this._calibrated(advice.gpu.name, chosen.model.id, chosen.method, chosen.estimate.plan) : null;
    const estimateView = chosen && (
      <EstimateView
        lang={lang}
        modelId={chosen.model.id}
        method={chosen.method}
        state={chosen.estimate}
        time={chosen.estimate.ok && advice ? timeView(lang, chosen.model, advice.gpu, chosen.estimate.plan, this._platform()) : null}
        compact={output}
        calibrated={calibrated}
        run={this._runView(calibrated)}
      />
    );
    // "Measure exactly" beside the estimate: the kernel traces the same plan (MeasureView).
    const measureView = <MeasureView lang={lang} compact={output} offer={advisor.measureOffer} plan={chosen?.plan ?? null} gpu={advice?.gpu ?? null} onMeasure={allow => void advisor.measureExactly(allow)} />;
    const cells = {
      lang,
      allSteps: STEPS,
      steps: chosen?.steps ?? [],
      canInsert: host.canInsert,
      notice: advisor.notice,
      onToggle: (step: Step, on: boolean) => chosen && advisor.update({ steps: toggleStep(chosen.steps, step, on) }),
      onInsertCells: () => advisor.insertCells(),
      onInsertLoading: () => advisor.insertLoadingCell(),
      extraActions: this.props.extraActions
    };
    if (output) {
      return (
        <PanelIds value={this._ids}>
          {gone}
          <div className="jp-ModelAdvisor-head">
            <h2>{t(lang, 'ui.title')}</h2>
            {planFor}
          </div>
          {runtimeView}
          <InsertBar {...cells} />
          <div className="jp-ModelAdvisor-columns">
            <div className="jp-ModelAdvisor-column">
              {choicesView}
              {recipeView}
              {hubView}
            </div>
            <div className="jp-ModelAdvisor-column">{modelsView}</div>
            <div className="jp-ModelAdvisor-column">
              {estimateView}
              {measureView}
              <StepsView {...cells} />
            </div>
          </div>
        </PanelIds>
      );
    }
    return (
      <PanelIds value={this._ids}>
        {gone}
        <h2>{t(lang, 'ui.title')}</h2>
        {planFor}
        {runtimeView}
        {choicesView}
        {recipeView}
        {modelsView}
        {hubView}
        {estimateView}
        {measureView}
        <CellsView {...cells} />
      </PanelIds>
    );
  }

  private _modelsState(): ModelsViewState {
    const state = this.props.advisor.advice;
    const lang = this.props.advisor.lang;
    if (state.kind !== 'ready') return state;
    const { recommendations, chosen } = state.advice;
    const gpuName = state.advice.gpu.name;
    // A card says what the Estimate section says: with the user's calibration for that model, its verdict.
    const rows = recommendations.map(r => {
      const row = modelRow(lang, r, state.advice.gpu);
      const c = this._calibrated(gpuName, r.model.id, r.method, r.plan);
      return c ? { ...row, verdict: c.verdict, verdictText: verdictText(lang, c.verdict, c.total_mib, r.plan.available_mib), totalMib: c.total_mib } : row;
    });
    let extra: ModelRow | null = null;
    if (chosen && !chosen.recommended) {
      // The user's pick left the list (another method or task): keep it visible with its own verdict.
      const e = chosen.estimate;
      const c = e.ok ? this._calibrated(gpuName, chosen.model.id, chosen.method, e.plan) : null;
      const verdict = c?.verdict ?? (e.ok ? e.plan.verdict : 'no');
      const total = c?.total_mib ?? (e.ok ? e.plan.total_mib : 0);
      extra = {
        id: chosen.model.id,
        verdict,
        // No estimate (a family the counter does not know, a bad length): say so; the estimate section says why.
        verdictText: e.ok ? verdictText(lang, verdict, total, e.plan.available_mib) : t(lang, 'ui.verdict_none'),
        reasons: [],
        ...(e.ok ? { totalMib: total, availableMib: e.plan.available_mib } : {})
      };
    }
    return { kind: 'ready', rows, chosenId: chosen?.model.id ?? null, extra };
  }

  /** The plan under the calibration the user kept for this GPU, model and method; null: none applies. */
  private _calibrated(gpu: string, modelId: string, method: Method, plan: KnownPlan): CalibratedFigure | null {
    const c = findCalibration(this.props.advisor.calibrations, gpu, modelId, method);
    return c ? calibrate(plan, c) : null;
  }

  /** "Your last run": the record read for the chosen model, and "use the measured peak" when it offers one not already kept. */
  private _runView(calibrated: CalibratedFigure | null): JSX.Element {
    const advisor = this.props.advisor;
    const record = advisor.runRecord;
    const fresh = record.kind === 'ok' && advisor.canCalibrate ? calibrationFrom(record.record) : null;
    const kept = calibrated?.calibration;
    const offer = fresh && !(kept && kept.date === fresh.date && kept.ratio === fresh.ratio) ? fresh : null;
    return <RunRecordView lang={advisor.lang} record={record} calibrated={calibrated} offer={offer} onUse={() => advisor.useMeasuredPeak()} onDrop={c => advisor.dropCalibration(c)} />;
  }

  /** The service whose session limits apply: this runtime's, as the probe saw it, or the profile planned for. */
  private _platform(): Platform | null {
    const state = this.props.advisor.advice;
    if (state.kind !== 'ready') return null;
    const runtime = this.props.advisor.host.runtime;
    const reported = !state.advice.otherTarget && runtime.kind === 'ready' ? runtime.report.platform : null;
    return platformOf(state.advice.gpu, reported);
  }

  private _disconnect: (() => void) | null = null;
}
