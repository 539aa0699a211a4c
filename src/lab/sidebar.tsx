import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { RuntimeView } from '../ui/RuntimeView';
import { Language, t } from '../core/i18n';
import { RuntimeModel } from './model';

export interface SidebarActions {
  insertLoadingCell(): string; // returns the notice to show
}

/** The left-area panel: a thin Lumino wrapper that re-renders the React view on each state change. */
export class AdvisorSidebar extends ReactWidget {
  constructor(private readonly runtime: RuntimeModel, private readonly actions: SidebarActions, private lang: Language) {
    super();
    this.addClass('jp-ModelAdvisor');
    this.runtime.stateChanged.connect(() => this.update(), this);
  }

  setLanguage(lang: Language): void {
    this.lang = lang;
    this.update();
  }

  protected render(): JSX.Element {
    const lang = this.lang;
    const state = this.runtime.state;
    return (
      <>
        <h2>{t(lang, 'ui.title')}</h2>
        <RuntimeView lang={lang} state={state} onRefresh={() => void this.runtime.refresh()} />
        <section className="jp-ModelAdvisor-section">
          <div className="jp-ModelAdvisor-row">
            <button
              type="button"
              data-testid="model-advisor-insert-loading"
              disabled={this.runtime.panel === null}
              onClick={() => {
                this._notice = this.actions.insertLoadingCell();
                this.update();
              }}
            >
              {t(lang, 'ui.insertLoading')}
            </button>
          </div>
          {this._notice && (
            <p role="status" className="jp-ModelAdvisor-muted">
              {this._notice}
            </p>
          )}
        </section>
      </>
    );
  }

  private _notice = '';
}
