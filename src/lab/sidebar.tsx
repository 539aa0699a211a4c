import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import { AdvisorModel } from '../ui/panel/advisor';
import { AdvisorPanel } from '../ui/panel/Panel';

/** The left-area panel: a Lumino wrapper around the host-neutral panel, which re-renders itself on each change. */
export class AdvisorSidebar extends ReactWidget {
  constructor(private readonly advisor: AdvisorModel) {
    super();
    this.addClass('jp-ModelAdvisor');
  }

  protected render(): JSX.Element {
    return <AdvisorPanel advisor={this.advisor} />;
  }
}
