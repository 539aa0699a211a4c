import * as React from 'react';
import { usePanelId } from './ids';
import type { GpuProfile, Plan } from '../core';
import { Language, MessageKey, t } from '../core/i18n';
import { formatCount } from './format';
import { verdictText } from './rows';
import type { MeasureOffer } from './panel/advisor';
import { compareTrace, MEASURE_BUDGET_S, MeasureAnswer, tracedTotal } from './panel/measure';

export interface MeasureViewProps {
  lang: Language;
  offer: MeasureOffer;
  /** In a notebook's output: the section folds, so the panel stays one screen tall. */
  compact?: boolean;
  /** The plan traced (its estimate is compared) and the GPU planned for (a trace's verdict when it is the estimate). */
  plan: Plan | null;
  gpu: GpuProfile | null;
  /** `allowRemoteCode`: the user clicked through the warning that the model's own code runs. */
  onMeasure(allowRemoteCode: boolean): void;
}

/**
 * "Measure exactly", beside the estimate: the kernel traces the plan's training step and the
 * panel shows the traced peak against the estimated one — or, for a family the estimator does
 * not count, as the estimate. For a model whose architecture is its own code, the button first
 * says that the code will run, and only a second, explicit click runs it.
 */
export function MeasureView(props: MeasureViewProps): JSX.Element | null {
  const pid = usePanelId();
  const { lang, offer } = props;
  const [confirming, setConfirming] = React.useState(false);
  const modelId = offer.kind === 'ready' ? offer.modelId : null;
  React.useEffect(() => setConfirming(false), [modelId]);
  if (offer.kind === 'none') return null;
  let body: React.ReactNode;
  if (offer.kind === 'refused') {
    body = <p className="jp-ModelAdvisor-muted">{t(lang, `ui.measure.refused.${offer.reason}` as MessageKey)}</p>;
  } else if (offer.kind === 'unavailable') {
    body = <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.measure.noKernel')}</p>;
  } else {
    const running = offer.state.kind === 'running';
    const measure = (allow: boolean) => {
      setConfirming(false);
      props.onMeasure(allow);
    };
    let control: React.ReactNode;
    if (!offer.remoteCode) {
      control = (
        <button type="button" className="jp-mod-styled" data-testid="model-advisor-measure-button" aria-describedby={pid('measureHint')} disabled={running} onClick={() => measure(false)}>
          {t(lang, 'ui.measure.button')}
        </button>
      );
    } else if (!confirming) {
      control = (
        <button type="button" className="jp-mod-styled" data-testid="model-advisor-measure-button" aria-describedby={pid('measureHint')} disabled={running} onClick={() => setConfirming(true)}>
          {t(lang, 'ui.measure.remoteButton')}
        </button>
      );
    } else {
      control = (
        <div className="jp-ModelAdvisor-measureConfirm" role="group" aria-labelledby={pid('measureWarning')}>
          <p id={pid('measureWarning')} className="jp-ModelAdvisor-warning" data-testid="model-advisor-measure-warning">
            {t(lang, 'ui.measure.remoteWarning', { model: offer.modelId })}
          </p>
          <div className="jp-ModelAdvisor-row">
            <button type="button" className="jp-mod-styled jp-mod-warn" data-testid="model-advisor-measure-confirm" autoFocus onClick={() => measure(true)}>
              {t(lang, 'ui.measure.remoteConfirm')}
            </button>
            <button type="button" className="jp-mod-styled" onClick={() => setConfirming(false)}>
              {t(lang, 'ui.measure.cancel')}
            </button>
          </div>
        </div>
      );
    }
    body = (
      <>
        {offer.unknownFamily && offer.state.kind === 'idle' && <p>{t(lang, 'ui.measure.unknownFamily')}</p>}
        {control}
        <small id={pid('measureHint')} className="jp-ModelAdvisor-muted">
          {t(lang, 'ui.measure.hint')}
        </small>
        <div aria-live="polite" data-testid="model-advisor-measure-result">
          {running && <p>{t(lang, 'ui.measure.running', { seconds: MEASURE_BUDGET_S })}</p>}
          {offer.state.kind === 'done' && <MeasureAnswerView lang={lang} answer={offer.state.answer} plan={props.plan} gpu={props.gpu} />}
        </div>
      </>
    );
  }
  if (props.compact) {
    // In a notebook's output the panel must stay one screen tall (issue 21): the section folds.
    return (
      <details className="jp-ModelAdvisor-section jp-ModelAdvisor-measure" data-testid="model-advisor-measure">
        <summary id={pid('measureTitle')}>{t(lang, 'ui.measure.button')}</summary>
        {body}
      </details>
    );
  }
  return (
    <section className="jp-ModelAdvisor-section jp-ModelAdvisor-measure" aria-labelledby={pid('measureTitle')} data-testid="model-advisor-measure">
      <h3 id={pid('measureTitle')}>{t(lang, 'ui.measure.button')}</h3>
      {body}
    </section>
  );
}

/** The kernel's answer: traced against estimated (or the trace as the estimate), or why there is no trace. */
function MeasureAnswerView(props: { lang: Language; answer: MeasureAnswer; plan: Plan | null; gpu: GpuProfile | null }): JSX.Element {
  const { lang, answer, plan, gpu } = props;
  if (!answer.ok) {
    const message = answer.code === 'missing' ? t(lang, 'ui.measure.missing', { packages: (answer.missing ?? []).join(' ') || answer.message }) : t(lang, `ui.measure.${answer.code}` as MessageKey, { message: answer.message });
    return (
      <p className="jp-ModelAdvisor-error" data-testid="model-advisor-measure-error" data-code={answer.code}>
        {message}
      </p>
    );
  }
  const trace = answer.trace;
  const compared = plan ? compareTrace(trace, plan) : null;
  const asEstimate = compared === null && gpu ? tracedTotal(trace, gpu) : null;
  const versions = trace.versions ?? {};
  return (
    <div data-testid="model-advisor-measure-trace">
      {compared ? (
        <ul className="jp-ModelAdvisor-list">
          <li data-testid="model-advisor-measure-traced">{t(lang, 'ui.measure.traced', { mib: formatCount(Math.round(compared.tracedMib)) })}</li>
          <li data-testid="model-advisor-measure-estimated">{t(lang, 'ui.measure.estimated', { mib: formatCount(Math.round(compared.estimatedMib)) })}</li>
          <li data-testid="model-advisor-measure-ratio">{t(lang, 'ui.measure.ratio', { ratio: compared.ratio.toFixed(2) })}</li>
        </ul>
      ) : (
        <>
          <p data-testid="model-advisor-measure-traced">{t(lang, 'ui.measure.asEstimate', { mib: formatCount(Math.round(trace.peak_allocated_mib)) })}</p>
          {asEstimate && (
            <div className={`jp-ModelAdvisor-verdict jp-ModelAdvisor-verdict-${asEstimate.verdict}`} data-testid="model-advisor-measure-verdict">
              {verdictText(lang, asEstimate.verdict, asEstimate.totalMib, asEstimate.availableMib)}
            </div>
          )}
        </>
      )}
      <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.measure.params', { params: formatCount(Math.round(trace.params)) })}</div>
      <div className="jp-ModelAdvisor-muted">
        {t(lang, 'ui.measure.basis', {
          transformers: versions.transformers ?? '?',
          torch: versions.torch ?? '?',
          layers: trace.depth.layers,
          traced: trace.depth.traced_layers.join(' + '),
          seconds: answer.seconds.toFixed(1)
        })}
      </div>
    </div>
  );
}
