import * as React from 'react';
import { usePanelId } from './ids';
import type { Step } from '../core/codegen';
import { Language, t } from '../core/i18n';
import { stepName } from './rows';

/**
 * The steps to insert (checkboxes) and the two insert buttons. The notice is the last
 * insert's outcome, in a role=status line so a screen reader hears it.
 */
export interface CellsViewProps {
  lang: Language;
  /** Every step, in the order cells run (codegen `STEPS`). */
  allSteps: readonly Step[];
  steps: readonly Step[];
  /** False with no notebook: the buttons are disabled. */
  canInsert: boolean;
  notice: string;
  onToggle(step: Step, on: boolean): void;
  onInsertCells(): void;
  onInsertLoading(): void;
  /** A host's own ways out, beside the insert buttons (the widget's "Copy all", "Download .ipynb"). */
  extraActions?: React.ReactNode;
}

/** The sidebar's cells section: the steps, then the insert bar that sticks to the panel's bottom edge. */
export function CellsView(props: CellsViewProps): JSX.Element {
  return (
    <>
      <StepsView {...props} />
      <InsertBar {...props} />
    </>
  );
}

/** The steps to tick, one checkbox each. */
export function StepsView(props: Pick<CellsViewProps, 'lang' | 'allSteps' | 'steps' | 'onToggle'>): JSX.Element {
  const pid = usePanelId();
  const { lang } = props;
  return (
    <section className="jp-ModelAdvisor-section" aria-labelledby={pid('stepsTitle')}>
      <h2 id={pid('stepsTitle')}>{t(lang, 'ui.steps')}</h2>
      <div className="jp-ModelAdvisor-steps" data-testid="model-advisor-steps">
        {props.allSteps.map(step => (
          <label key={step} className="jp-ModelAdvisor-choice">
            <input type="checkbox" value={step} checked={props.steps.includes(step)} onChange={e => props.onToggle(step, e.currentTarget.checked)} />
            {stepName(lang, step)}
          </label>
        ))}
      </div>
    </section>
  );
}

/**
 * The insert buttons, a host's own actions and the last outcome (role=status). In the sidebar
 * it sticks to the panel's bottom edge; in a notebook's output it is the panel's second line,
 * since a sticky bar inside an output that scrolls with the notebook never sticks.
 */
export function InsertBar(props: Omit<CellsViewProps, 'allSteps' | 'steps' | 'onToggle'>): JSX.Element {
  const { lang } = props;
  return (
    <div className="jp-ModelAdvisor-insertBar" role="group" aria-label={t(lang, 'ui.insertBar')} data-testid="model-advisor-insert-bar">
      <div className="jp-ModelAdvisor-row jp-ModelAdvisor-actions">
        <button type="button" data-testid="model-advisor-insert-cells" disabled={!props.canInsert} onClick={props.onInsertCells}>
          {t(lang, 'ui.insertCells')}
        </button>
        <button type="button" data-testid="model-advisor-insert-loading" disabled={!props.canInsert} onClick={props.onInsertLoading}>
          {t(lang, 'ui.insertLoading')}
        </button>
        {props.extraActions}
      </div>
      <p role="status" className="jp-ModelAdvisor-muted jp-ModelAdvisor-notice">
        {props.notice}
      </p>
    </div>
  );
}
