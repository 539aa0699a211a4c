import * as React from 'react';
import { usePanelId } from './ids';
import type { HubSource } from '../core/catalog';
import { Language, t } from '../core/i18n';

export const HUB_SOURCES: readonly HubSource[] = ['hf', 'mirror', 'modelscope'];

export interface HubModelViewProps {
  lang: Language;
  /** False where the host cannot read the Hub (no kernel crossing): the box is disabled. */
  available: boolean;
  /** Read the id's config.json and choose it; resolves when the answer is shown. */
  onFetch(id: string): Promise<void>;
  /** The panel's notice: once a fetch has answered, it is said under the box too, where the user is looking. */
  notice?: string;
  /** Where a host without settings lets the user choose the download source (the widget): beside the box. */
  source?: { value: HubSource; onChange(source: HubSource): void };
}

/**
 * Any model on the Hub by its id: the kernel reads its config.json (no weights) and the
 * estimate prices it like a catalog model. What happened is said in the panel's status line,
 * and under the box until the id is edited.
 */
export function HubModelView(props: HubModelViewProps): JSX.Element {
  const pid = usePanelId();
  const { lang } = props;
  const [id, setId] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [answered, setAnswered] = React.useState(false);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (busy || id.trim() === '') return;
    setBusy(true);
    setAnswered(false);
    void props.onFetch(id.trim()).finally(() => {
      setBusy(false);
      setAnswered(true);
    });
  };
  const message = (busy || answered) && props.notice ? props.notice : '';
  return (
    <form className="jp-ModelAdvisor-section jp-ModelAdvisor-hub" onSubmit={submit} aria-busy={busy}>
      <label htmlFor={pid('hubId')}>{t(lang, 'ui.hubModel')}</label>
      <div className="jp-ModelAdvisor-row">
        <input
          id={pid('hubId')}
          data-testid="model-advisor-hub-id"
          type="text"
          placeholder="owner/name"
          aria-describedby={pid('hubHint')}
          autoComplete="off"
          spellCheck={false}
          disabled={!props.available}
          value={id}
          onChange={e => {
            setId(e.currentTarget.value);
            setAnswered(false);
          }}
        />
        <button type="submit" className="jp-mod-styled" data-testid="model-advisor-hub-fetch" disabled={!props.available || busy || id.trim() === ''}>
          {t(lang, 'ui.hubFetch')}
        </button>
      </div>
      {message && (
        // Not a second live region: the panel's status line already speaks it.
        <p className="jp-ModelAdvisor-hubMessage" data-testid="model-advisor-hub-message">
          {message}
        </p>
      )}
      <small id={pid('hubHint')}>{t(lang, 'ui.hubModelHint')}</small>
      {props.source && (
        <div className="jp-ModelAdvisor-field jp-ModelAdvisor-source">
          <label htmlFor={pid('source')}>{t(lang, 'ui.source')}</label>
          <select id={pid('source')} data-testid="model-advisor-source" value={props.source.value} onChange={e => props.source!.onChange(e.currentTarget.value as HubSource)}>
            {HUB_SOURCES.map(source => (
              <option key={source} value={source}>
                {t(lang, `ui.source.${source}`)}
              </option>
            ))}
          </select>
        </div>
      )}
    </form>
  );
}
