import * as React from 'react';
import { usePanelId } from './ids';
import { Language, t } from '../core/i18n';

export interface HubModelViewProps {
  lang: Language;
  /** False where the host cannot read the Hub (no kernel crossing): the box is disabled. */
  available: boolean;
  /** Read the id's config.json and choose it; resolves when the answer is shown. */
  onFetch(id: string): Promise<void>;
}

/**
 * Any model on the Hub by its id: the kernel reads its config.json (no weights) and the
 * estimate prices it like a catalog model. What happened is said in the panel's status line.
 */
export function HubModelView(props: HubModelViewProps): JSX.Element {
  const pid = usePanelId();
  const { lang } = props;
  const [id, setId] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (busy || id.trim() === '') return;
    setBusy(true);
    void props.onFetch(id.trim()).finally(() => setBusy(false));
  };
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
          onChange={e => setId(e.currentTarget.value)}
        />
        <button type="submit" className="jp-mod-styled" data-testid="model-advisor-hub-fetch" disabled={!props.available || busy || id.trim() === ''}>
          {t(lang, 'ui.hubFetch')}
        </button>
      </div>
      <small id={pid('hubHint')}>{t(lang, 'ui.hubModelHint')}</small>
    </form>
  );
}
