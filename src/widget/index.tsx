/**
 * The advisor as a notebook widget: anywidget's front-end module (model_advisor/widget.py
 * loads the built file as `_esm`). It renders the same panel as the JupyterLab sidebar
 * (src/ui/panel) with a host of its own (./host); it must never import src/lab, which is
 * absent where this runs (Colab, Notebook 7 without the extension, VS Code).
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { toNotebook, toPercentScript } from '../core/codegen';
import { Language, t, toLanguage } from '../core/i18n';
import type { HubSource } from '../core/catalog';
import { HUB_SOURCES } from '../ui/HubModelView';
import { AdvisorModel } from '../ui/panel/advisor';
import { DEFAULT_PREFERENCES } from '../ui/panel/choices';
import { AdvisorPanel } from '../ui/panel/Panel';
import { copyText, downloadText, savedCalibrations, WidgetHost, WidgetModel } from './host';

/** "Copy all" and "Download .ipynb": always there, so the user is never stuck. */
function WidgetActions(props: { advisor: AdvisorModel; host: WidgetHost }): JSX.Element {
  const { advisor, host } = props;
  const lang = advisor.lang;
  const copyAll = async () => {
    const rendered = advisor.renderChosen();
    if (!rendered.ok) return advisor.setNotice(rendered.notice);
    const copied = await copyText(toPercentScript(rendered.cells));
    // The kernel keeps them too (`widget.last_cells`), for frames whose clipboard is closed.
    void host.request({ type: 'copy', cells: rendered.cells.map(c => ({ cell_type: c.cell_type, source: c.source })) });
    advisor.setNotice(t(lang, copied ? 'widget.copied' : 'widget.copyFailed', { count: rendered.cells.length }));
  };
  const download = () => {
    const rendered = advisor.renderChosen();
    if (!rendered.ok) return advisor.setNotice(rendered.notice);
    const state = advisor.advice;
    const chosen = state.kind === 'ready' ? state.advice.chosen : null;
    const gpu = host.runtime.kind === 'ready' && host.runtime.report.gpus.length > 0;
    // The file is named after the model ("Qwen2.5-0.5B-Instruct-qlora.ipynb"), in characters every file system takes.
    const base = chosen?.model.id.split('/').filter(s => s !== '' && s !== '.' && s !== '..').pop() ?? 'model';
    const name = `${base}-${chosen?.method ?? 'cells'}.ipynb`.replace(/[^A-Za-z0-9._-]+/g, '-');
    downloadText(JSON.stringify(toNotebook(rendered.cells, { gpu }), null, 1) + '\n', name, 'application/x-ipynb+json');
    advisor.setNotice(t(lang, 'widget.downloaded', { count: rendered.cells.length, file: name }));
  };
  return (
    <>
      <button type="button" data-testid="model-advisor-copy-all" onClick={() => void copyAll()}>
        {t(lang, 'widget.copyAll')}
      </button>
      <button type="button" data-testid="model-advisor-download" onClick={download}>
        {t(lang, 'widget.download')}
      </button>
    </>
  );
}

/**
 * The download source, kept in the browser as the sidebar keeps it in JupyterLab's settings: a
 * widget has no settings editor, so it offers the choice beside the Hub box and remembers it
 * for the next widget (on this page's origin). A storage that refuses (a sandboxed frame) keeps
 * the choice for this panel only.
 */
const SOURCE_KEY = 'jupyterlab-model-advisor:source';

export function savedSource(): HubSource {
  try {
    const saved = window.localStorage.getItem(SOURCE_KEY);
    return (HUB_SOURCES as readonly string[]).includes(saved ?? '') ? (saved as HubSource) : DEFAULT_PREFERENCES.source;
  } catch {
    return DEFAULT_PREFERENCES.source;
  }
}

function saveSource(source: HubSource): void {
  try {
    window.localStorage.setItem(SOURCE_KEY, source);
  } catch {
    // kept for this panel only
  }
}

/** The panel as the widget shows it: laid out for an output, with the source choice and the widget's own actions. */
function WidgetPanel(props: { advisor: AdvisorModel; host: WidgetHost }): JSX.Element {
  const { advisor, host } = props;
  const [source, setSource] = React.useState<HubSource>(savedSource);
  const choose = (next: HubSource) => {
    setSource(next);
    saveSource(next);
    advisor.setPreferences({ ...DEFAULT_PREFERENCES, source: next }, []);
  };
  return <AdvisorPanel advisor={advisor} layout="output" sourceChoice={{ value: source, onChange: choose }} extraActions={<WidgetActions advisor={advisor} host={host} />} />;
}

function languageOf(model: WidgetModel): Language {
  const chosen = String(model.get('language') ?? '');
  return toLanguage(chosen && chosen !== 'auto' ? chosen : navigator.language);
}

/** anywidget's entry: draw into `el`, and return what undoes it. */
export function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  // JupyterLab and Notebook 7 define the --jp-* theme variables; elsewhere the stylesheet's own defaults apply.
  const themed = getComputedStyle(document.body).getPropertyValue('--jp-layout-color1').trim() !== '';
  el.classList.add('jp-ModelAdvisor', 'jp-ModelAdvisor-widget');
  if (!themed) el.classList.add('jp-ModelAdvisor-standalone');
  let advisor: AdvisorModel | null = null;
  const host = new WidgetHost(model, el, () => advisor?.lang ?? languageOf(model));
  advisor = new AdvisorModel(host, languageOf(model));
  advisor.setPreferences({ ...DEFAULT_PREFERENCES, source: savedSource() }, []);
  advisor.setCalibrations(savedCalibrations());
  const onLanguage = () => advisor!.setLanguage(languageOf(model));
  model.on('change:language', onLanguage);
  const root = createRoot(el);
  root.render(<WidgetPanel advisor={advisor} host={host} />);
  return () => {
    model.off('change:language', onLanguage);
    host.dispose();
    root.unmount();
  };
}

// The bundle's default export is this module's exports object, which carries `render` (anywidget reads either).
export default { render };
