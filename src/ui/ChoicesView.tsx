import * as React from 'react';
import { usePanelId } from './ids';
import type { Method, Task } from '../core';
import { Language, t } from '../core/i18n';
import { formatCount } from './format';
import { languageName, methodName, taskName } from './rows';

/**
 * Labels name their control by `htmlFor` (not by wrapping it), so a select's name is its
 * label alone, not the label plus the chosen option.
 *
 * What the user wants: the four questions every recommendation and estimate depends on. */
export interface ChoicesViewProps {
  lang: Language;
  tasks: readonly Task[];
  languages: readonly string[];
  methods: readonly (Method | 'auto')[];
  task: Task;
  dataLanguage: string;
  method: Method | 'auto';
  seqLen: number;
  /** The sliders' ends: the longest length and the largest batch that fit (at least the smallest). */
  seqLenMax?: number;
  /** Why the typed length cannot be used, said beside the field; null when it can. */
  seqLenError?: string | null;
  batch?: number;
  batchMax?: number;
  /** `preview`: a slider is moving (the panel re-estimates the chosen model only until `onCommit`). */
  onChange(change: { task?: Task; dataLanguage?: string; method?: Method | 'auto'; seqLen?: number; batch?: number }, preview?: boolean): void;
  /** A slider let go (pointer up, key up, focus out). */
  onCommit?(): void;
}

/** The length slider moves in 64-token steps, as the plan rounds lengths. */
export const SEQ_LEN_STEP = 64;

/** One labelled select: id `jp-ModelAdvisor-<id>`, test id `model-advisor-<id>`. */
export function SelectField<T extends string>(props: { id: string; label: string; value: T; options: readonly T[]; name: (option: T) => string; onChange: (value: T) => void }): JSX.Element {
  const pid = usePanelId();
  const id = pid(props.id);
  return (
    <div className="jp-ModelAdvisor-field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} data-testid={`model-advisor-${props.id}`} value={props.value} onChange={e => props.onChange(e.currentTarget.value as T)}>
        {props.options.map(option => (
          <option key={option} value={option}>
            {props.name(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ChoicesView(props: ChoicesViewProps): JSX.Element {
  const pid = usePanelId();
  const { lang } = props;
  return (
    <section className="jp-ModelAdvisor-section" aria-labelledby={pid('whatFor')}>
      <h2 id={pid('whatFor')}>{t(lang, 'ui.whatFor')}</h2>
      <div className="jp-ModelAdvisor-grid">
        <SelectField id="task" label={t(lang, 'ui.task')} value={props.task} options={props.tasks} name={task => taskName(lang, task)} onChange={task => props.onChange({ task })} />
        <SelectField
          id="language"
          label={t(lang, 'ui.dataLanguage')}
          value={props.dataLanguage}
          options={props.languages}
          name={code => languageName(lang, code)}
          onChange={dataLanguage => props.onChange({ dataLanguage })}
        />
        <SelectField id="method" label={t(lang, 'ui.method')} value={props.method} options={props.methods} name={method => methodName(lang, method)} onChange={method => props.onChange({ method })} />
        <div className="jp-ModelAdvisor-field">
          <label htmlFor={pid('seqLen')}>{t(lang, 'ui.seqLen')}</label>
          <input
            id={pid('seqLen')}
            data-testid="model-advisor-seq-len"
            type="number"
            min={16}
            step={64}
            inputMode="numeric"
            aria-invalid={props.seqLenError ? true : undefined}
            aria-describedby={props.seqLenError ? pid('seqLenError') : undefined}
            value={Number.isNaN(props.seqLen) ? '' : props.seqLen}
            onChange={e => props.onChange({ seqLen: e.currentTarget.value === '' ? NaN : Number(e.currentTarget.value) })}
          />
          {props.seqLenError && (
            <span id={pid('seqLenError')} className="jp-ModelAdvisor-error" role="alert">
              {props.seqLenError}
            </span>
          )}
        </div>
      </div>
      {props.seqLenMax !== undefined && (
        <Slider
          id="seqLenSlider"
          label={t(lang, 'ui.seqLenSlider', { max: formatCount(props.seqLenMax) })}
          min={SEQ_LEN_STEP}
          max={Math.max(SEQ_LEN_STEP, props.seqLenMax)}
          step={SEQ_LEN_STEP}
          value={Number.isFinite(props.seqLen) ? props.seqLen : SEQ_LEN_STEP}
          valueText={n => t(lang, 'ui.tokens', { tokens: formatCount(n) })}
          onChange={seqLen => props.onChange({ seqLen }, true)}
          onCommit={() => props.onCommit?.()}
        />
      )}
      {props.batch !== undefined && props.batchMax !== undefined && (
        <Slider
          id="batchSlider"
          label={t(lang, 'ui.batchSlider', { max: props.batchMax })}
          min={1}
          max={Math.max(1, props.batchMax)}
          step={1}
          value={props.batch}
          valueText={n => String(n)}
          onChange={batch => props.onChange({ batch }, true)}
          onCommit={() => props.onCommit?.()}
        />
      )}
    </section>
  );
}

/**
 * A range input bounded by what fits: moving it re-estimates at once (bench/slider measures
 * the recompute against a 16 ms frame). Its value is read out in words (aria-valuetext).
 */
function Slider(props: {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  valueText: (n: number) => string;
  onChange: (n: number) => void;
  onCommit: () => void;
}): JSX.Element {
  const pid = usePanelId();
  const id = pid(props.id);
  const value = Math.min(props.max, Math.max(props.min, props.value));
  return (
    <div className="jp-ModelAdvisor-field jp-ModelAdvisor-slider">
      <label htmlFor={id}>{props.label}</label>
      <div className="jp-ModelAdvisor-row">
        <input
          id={id}
          data-testid={`model-advisor-${props.id}`}
          type="range"
          min={props.min}
          max={props.max}
          step={props.step}
          value={value}
          aria-valuetext={props.valueText(props.value)}
          onChange={e => props.onChange(Number(e.currentTarget.value))}
          onPointerUp={props.onCommit}
          onKeyUp={props.onCommit}
          onBlur={props.onCommit}
        />
        {/* The value in words; a screen reader hears it from aria-valuetext (an <output> would be a second status line). */}
        <span className="jp-ModelAdvisor-sliderValue" aria-hidden="true">
          {props.valueText(props.value)}
        </span>
      </div>
    </div>
  );
}
