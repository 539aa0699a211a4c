import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import iconSvg from '../../style/icon.svg';
import { AdvisorModel } from '../ui/panel/advisor';
import { Preferences } from '../ui/panel/choices';
import { LabHost } from './model';
import { AdvisorSidebar } from './sidebar';
import { useConfigFile } from './useConfig';
import { listenForWidgetInserts } from './widgetBridge';
import { Language, t, toLanguage } from '../core/i18n';
import { RUN_RECORD_FILE } from '../core/runs';

const PLUGIN_ID = 'jupyterlab-model-advisor:plugin';
const STATE_KEY = 'jupyterlab-model-advisor:choices';

export const CommandIds = {
  open: 'model-advisor:open',
  insertCells: 'model-advisor:insert-cells',
  insertLoadingCell: 'model-advisor:insert-loading-cell',
  refresh: 'model-advisor:refresh',
  useConfig: 'model-advisor:use-config'
} as const;

export const advisorIcon = new LabIcon({ name: 'jupyterlab-model-advisor:icon', svgstr: iconSvg });

/** Wiring only: the sidebar, its commands, and the settings that reach it. */
export const advisorPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Which model fits this runtime’s GPU, and the cells to load and fine-tune it.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry, ITranslator, ILayoutRestorer, IFileBrowserFactory, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null,
    browsers: IFileBrowserFactory | null,
    state: IStateDB | null
  ) => {
    const runtime = new LabHost();
    const advisor = new AdvisorModel(runtime, toLanguage(translator?.languageCode));
    let lang: Language = advisor.lang;

    const sidebar = new AdvisorSidebar(advisor);
    sidebar.id = 'jp-model-advisor';
    sidebar.title.icon = advisorIcon;
    sidebar.title.caption = t(lang, 'ui.title');
    app.shell.add(sidebar, 'left', { rank: 650 });
    restorer?.add(sidebar, 'jp-model-advisor');

    // The choices survive a reload: kept in JupyterLab's state database, read back (checked) at start.
    if (state) {
      void state.fetch(STATE_KEY).then(saved => {
        if (saved) advisor.restore(saved);
        let kept = JSON.stringify(advisor.choices);
        advisor.changed.connect(() => {
          const now = JSON.stringify(advisor.choices);
          if (now !== kept) {
            kept = now;
            void state.save(STATE_KEY, JSON.parse(now));
          }
        });
      });
    }

    // A notebook widget (model_advisor.show()) in any open notebook inserts its cells through us.
    listenForWidgetInserts(tracker);

    runtime.setNotebook(tracker.currentWidget);
    tracker.currentChanged.connect((_, panel) => runtime.setNotebook(panel));
    // A train cell (one that writes the run record) just ran in the followed notebook: read its record.
    NotebookActions.executed.connect((_, { notebook, cell }) => {
      if (notebook === runtime.panel?.content && cell.model.type === 'code' && cell.model.sharedModel.getSource().includes(RUN_RECORD_FILE)) advisor.refreshRunRecord();
    });

    app.commands.addCommand(CommandIds.open, {
      label: () => t(lang, 'ui.cmd.open'),
      caption: () => t(lang, 'ui.title'),
      execute: () => {
        app.shell.activateById(sidebar.id);
        // Into the panel, so the keyboard goes on from its first control ("Plan for") — after the
        // palette (which ran this) has closed and handed focus back, hence the next frame.
        requestAnimationFrame(() => sidebar.node.querySelector<HTMLElement>('select, input, button')?.focus());
      }
    });
    app.commands.addCommand(CommandIds.insertCells, {
      label: () => t(lang, 'ui.cmd.insertCells'),
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => advisor.insertCells()
    });
    app.commands.addCommand(CommandIds.insertLoadingCell, {
      label: () => t(lang, 'ui.cmd.insertLoading'),
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => advisor.insertLoadingCell()
    });
    app.commands.addCommand(CommandIds.refresh, {
      label: () => t(lang, 'ui.cmd.refresh'),
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => runtime.refresh()
    });

    /** The file browser's selected item, when it is a config.json (the context menu's target). */
    const selectedConfig = (): string | null => {
      const first = browsers?.tracker.currentWidget?.selectedItems().next();
      if (!first || first.done) return null;
      return first.value.type !== 'directory' && first.value.name === 'config.json' ? first.value.path : null;
    };
    app.commands.addCommand(CommandIds.useConfig, {
      label: () => t(lang, 'ui.useConfig'),
      icon: advisorIcon,
      // `path` (server-relative) lets a test or another extension run it without the file browser.
      isVisible: args => typeof args.path === 'string' || selectedConfig() !== null,
      execute: async args => {
        const path = typeof args.path === 'string' ? args.path : selectedConfig();
        if (path === null) return false;
        app.shell.activateById(sidebar.id);
        return useConfigFile(app.serviceManager.contents, advisor, path, tracker.currentWidget?.context.localPath ?? null);
      }
    });
    // Every .json item gets the entry's selector; isVisible keeps it to files named config.json.
    app.contextMenu.addItem({ command: CommandIds.useConfig, selector: '.jp-DirListing-item[data-file-type="json"]', rank: 10 });

    // "Open" first: the palette sorts a category by rank, then by label.
    [CommandIds.open, CommandIds.insertCells, CommandIds.insertLoadingCell, CommandIds.refresh].forEach((command, rank) =>
      palette?.addItem({ command, category: 'Model Advisor', rank })
    );

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
          advisor.setCalibrations(settings.get('calibrations').composite);
          sidebar.title.caption = t(lang, 'ui.title');
        };
        apply();
        settings.changed.connect(apply);
        // "Use the measured peak": kept in the user's settings of this JupyterLab, nowhere else.
        runtime.calibrationStore = list => void settings.set('calibrations', JSON.parse(JSON.stringify(list)));
      }, e => console.warn('Model Advisor: settings could not be loaded', e));
    }
  }
};
