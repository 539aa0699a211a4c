import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import iconSvg from '../../style/icon.svg';
import { AdvisorModel } from './advisor';
import { Preferences } from './choices';
import { RuntimeModel } from './model';
import { AdvisorSidebar } from './sidebar';
import { Language, t, toLanguage } from '../core/i18n';

const PLUGIN_ID = 'jupyterlab-model-advisor:plugin';

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
    const advisor = new AdvisorModel(runtime, tracker, toLanguage(translator?.languageCode));
    let lang: Language = advisor.lang;

    const sidebar = new AdvisorSidebar(runtime, advisor);
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
      execute: () => advisor.insertLoadingCell()
    });
    palette?.addItem({ command: CommandIds.open, category: 'Model Advisor' });
    palette?.addItem({ command: CommandIds.insertLoadingCell, category: 'Model Advisor' });

    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const apply = () => {
          const chosen = settings.get('language').composite as string;
          lang = chosen === 'auto' ? toLanguage(translator?.languageCode) : (chosen as Language);
          advisor.setLanguage(lang);
          advisor.setPreferences(
            {
              source: settings.get('source').composite as Preferences['source'],
              cacheDir: settings.get('cacheDir').composite as string,
              outputDir: settings.get('outputDir').composite as string
            },
            settings.get('customModels').composite
          );
          sidebar.title.caption = t(lang, 'ui.title');
        };
        apply();
        settings.changed.connect(apply);
      }, e => console.warn('Model Advisor: settings could not be loaded', e));
    }
  }
};
