import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { METHODS, TASKS } from '../core';
import { STEPS } from '../core/codegen';
import { t } from '../core/i18n';
import { CellsView } from '../ui/CellsView';
import { ChoicesView } from '../ui/ChoicesView';
import { EstimateView } from '../ui/EstimateView';
import { ModelsView, ModelsViewState } from '../ui/ModelsView';
import { RuntimeView } from '../ui/RuntimeView';
import { modelRow, ModelRow, verdictText } from '../ui/rows';
import { AdvisorModel } from './advisor';
import { DATA_LANGUAGES, toggleStep } from './choices';
import { RuntimeModel } from './model';

const METHOD_CHOICES = ['auto', ...METHODS] as const;

/** The left-area panel: a thin Lumino wrapper that re-renders the views on each change of the runtime or the choices. */
export class AdvisorSidebar extends ReactWidget {
  constructor(private readonly runtime: RuntimeModel, private readonly advisor: AdvisorModel) {
    super();
    this.addClass('jp-ModelAdvisor');
    this.advisor.changed.connect(() => this.update(), this);
  }

  protected render(): JSX.Element {
    const advisor = this.advisor;
    const lang = advisor.lang;
    const choices = advisor.choices;
    const state = advisor.advice;
    const chosen = state.kind === 'ready' ? state.advice.chosen : null;
    return (
      <>
        <h2>{t(lang, 'ui.title')}</h2>
        <RuntimeView lang={lang} state={this.runtime.state} onRefresh={() => void this.runtime.refresh()} />
        <ChoicesView
          lang={lang}
          tasks={TASKS}
          languages={DATA_LANGUAGES}
          methods={METHOD_CHOICES}
          task={choices.task}
          dataLanguage={choices.dataLanguage}
          method={choices.method}
          seqLen={choices.seqLen}
          onChange={change => advisor.update(change)}
        />
        <ModelsView lang={lang} state={this._modelsState()} onChoose={id => advisor.update({ modelId: id })} />
        {chosen && <EstimateView lang={lang} modelId={chosen.model.id} method={chosen.method} state={chosen.estimate} />}
        <CellsView
          lang={lang}
          allSteps={STEPS}
          steps={chosen?.steps ?? []}
          canInsert={this.runtime.panel !== null}
          notice={advisor.notice}
          onToggle={(step, on) => chosen && advisor.update({ steps: toggleStep(chosen.steps, step, on) })}
          onInsertCells={() => advisor.insertCells()}
          onInsertLoading={() => advisor.insertLoadingCell()}
        />
      </>
    );
  }

  private _modelsState(): ModelsViewState {
    const state = this.advisor.advice;
    const lang = this.advisor.lang;
    if (state.kind !== 'ready') return state;
    const { recommendations, chosen } = state.advice;
    const rows = recommendations.map(r => modelRow(lang, r));
    let extra: ModelRow | null = null;
    if (chosen && !chosen.recommended) {
      // The user's pick left the list (another method or task): keep it visible with its own verdict.
      const e = chosen.estimate;
      extra = {
        id: chosen.model.id,
        verdict: e.ok ? e.estimate.verdict : 'no',
        // No estimate (a family the counter does not know, a bad length): say so; the estimate section says why.
        verdictText: e.ok ? verdictText(lang, e.estimate.verdict, e.estimate.total_mib, e.estimate.available_mib) : t(lang, 'ui.verdict_none'),
        reasons: []
      };
    }
    return { kind: 'ready', rows, chosenId: chosen?.model.id ?? null, extra };
  }
}
