import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import iconSvg from '../../style/icon.svg';
import { findModel } from '../core/catalog';
import { renderCells } from '../core/codegen';
import { gpuFromReport } from '../core/gpu';
import { insertCellsBelowActive } from './insert';
import { RuntimeModel } from './model';
import { AdvisorSidebar } from './sidebar';
import { Language, t, toLanguage } from '../core/i18n';

const PLUGIN_ID = 'jupyterlab-model-advisor:plugin';
/** Small enough for any runtime, a T4 or a CPU: the skeleton's loading cell. */
const DEFAULT_MODEL = 'Qwen/Qwen2.5-0.5B';

export const CommandIds = {
  open: 'model-advisor:open',
  insertLoadingCell: 'model-advisor:insert-loading-cell'
} as const;

export const advisorIcon = new LabIcon({ name: 'jupyterlab-model-advisor:icon', svgstr: iconSvg });

/** Wiring only: the sidebar, its commands, and the settings that reach it. */
export const advisorPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Which model fits this runtime’s GPU, and the cells to load and fine-tune it.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry, ITranslator, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ) => {
    const runtime = new RuntimeModel();
    let lang: Language = toLanguage(translator?.languageCode);

    const insertLoadingCell = (): string => {
      const panel = tracker.currentWidget;
      if (!panel) return t(lang, 'ui.noNotebook');
      const state = runtime.state;
      if (state.kind !== 'ready') return t(lang, 'ui.insertFailed', { message: t(lang, 'ui.runtimeUnknown') });
      try {
        const model = findModel(DEFAULT_MODEL);
        if (!model) throw new Error(`${DEFAULT_MODEL} is not in the catalog`);
        const cells = renderCells({ model, gpu: gpuFromReport(state.report), method: 'inference', steps: ['source', 'load'], report: state.report, language: lang });
        insertCellsBelowActive(panel, cells);
        return t(lang, 'ui.inserted', { count: cells.length });
      } catch (e) {
        return t(lang, 'ui.insertFailed', { message: e instanceof Error ? e.message : String(e) });
      }
    };

    const sidebar = new AdvisorSidebar(runtime, { insertLoadingCell }, lang);
    sidebar.id = 'jp-model-advisor';
    sidebar.title.icon = advisorIcon;
    sidebar.title.caption = t(lang, 'ui.title');
    app.shell.add(sidebar, 'left', { rank: 650 });
    restorer?.add(sidebar, 'jp-model-advisor');

    runtime.setNotebook(tracker.currentWidget);
    tracker.currentChanged.connect((_, panel) => runtime.setNotebook(panel));

    app.commands.addCommand(CommandIds.open, {
      label: 'Model Advisor: Open',
      caption: 'Show the Model Advisor sidebar',
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIds.insertLoadingCell, {
      label: 'Model Advisor: Insert loading cell',
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => insertLoadingCell()
    });
    palette?.addItem({ command: CommandIds.open, category: 'Model Advisor' });
    palette?.addItem({ command: CommandIds.insertLoadingCell, category: 'Model Advisor' });

    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const apply = () => {
          const chosen = settings.get('language').composite as string;
          lang = chosen === 'auto' ? toLanguage(translator?.languageCode) : (chosen as Language);
          sidebar.setLanguage(lang);
          sidebar.title.caption = t(lang, 'ui.title');
        };
        apply();
        settings.changed.connect(apply);
      }, e => console.warn('Model Advisor: settings could not be loaded', e));
    }
  }
};
