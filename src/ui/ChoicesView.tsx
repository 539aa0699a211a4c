import * as React from 'react';
import type { Method, Task } from '../core';
import { Language, t } from '../core/i18n';
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
  onChange(change: { task?: Task; dataLanguage?: string; method?: Method | 'auto'; seqLen?: number }): void;
}

/** One labelled select: id `jp-ModelAdvisor-<id>`, test id `model-advisor-<id>`. */
export function SelectField<T extends string>(props: { id: string; label: string; value: T; options: readonly T[]; name: (option: T) => string; onChange: (value: T) => void }): JSX.Element {
  const id = `jp-ModelAdvisor-${props.id}`;
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
  const { lang } = props;
  return (
    <section className="jp-ModelAdvisor-section" aria-labelledby="jp-ModelAdvisor-whatFor">
      <h2 id="jp-ModelAdvisor-whatFor">{t(lang, 'ui.whatFor')}</h2>
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
          <label htmlFor="jp-ModelAdvisor-seqLen">{t(lang, 'ui.seqLen')}</label>
          <input
            id="jp-ModelAdvisor-seqLen"
            data-testid="model-advisor-seq-len"
            type="number"
            min={16}
            step={64}
            inputMode="numeric"
            value={Number.isNaN(props.seqLen) ? '' : props.seqLen}
            onChange={e => props.onChange({ seqLen: e.currentTarget.value === '' ? NaN : Number(e.currentTarget.value) })}
          />
        </div>
      </div>
    </section>
  );
}
