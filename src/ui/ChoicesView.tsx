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

export function ChoicesView(props: ChoicesViewProps): JSX.Element {
  const { lang } = props;
  return (
    <section className="jp-ModelAdvisor-section" aria-labelledby="jp-ModelAdvisor-whatFor">
      <h2 id="jp-ModelAdvisor-whatFor">{t(lang, 'ui.whatFor')}</h2>
      <div className="jp-ModelAdvisor-grid">
        <div className="jp-ModelAdvisor-field">
          <label htmlFor="jp-ModelAdvisor-task">{t(lang, 'ui.task')}</label>
          <select id="jp-ModelAdvisor-task" data-testid="model-advisor-task" value={props.task} onChange={e => props.onChange({ task: e.currentTarget.value as Task })}>
            {props.tasks.map(task => (
              <option key={task} value={task}>
                {taskName(lang, task)}
              </option>
            ))}
          </select>
        </div>
        <div className="jp-ModelAdvisor-field">
          <label htmlFor="jp-ModelAdvisor-language">{t(lang, 'ui.dataLanguage')}</label>
          <select id="jp-ModelAdvisor-language" data-testid="model-advisor-language" value={props.dataLanguage} onChange={e => props.onChange({ dataLanguage: e.currentTarget.value })}>
            {props.languages.map(code => (
              <option key={code} value={code}>
                {languageName(lang, code)}
              </option>
            ))}
          </select>
        </div>
        <div className="jp-ModelAdvisor-field">
          <label htmlFor="jp-ModelAdvisor-method">{t(lang, 'ui.method')}</label>
          <select id="jp-ModelAdvisor-method" data-testid="model-advisor-method" value={props.method} onChange={e => props.onChange({ method: e.currentTarget.value as Method | 'auto' })}>
            {props.methods.map(method => (
              <option key={method} value={method}>
                {methodName(lang, method)}
              </option>
            ))}
          </select>
        </div>
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
