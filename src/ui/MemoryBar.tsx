import * as React from 'react';
import type { FitVerdict } from '../core';
import { Language, t } from '../core/i18n';
import { formatMiB } from './format';
import type { TermRow } from './rows';

/**
 * The estimate as a picture: one stacked bar of the memory terms (weights, adapters, gradients,
 * optimizer, activations, logits, overhead…) against a line at the memory the GPU has free. The
 * bar is an image to a screen reader (role="img") whose label reads the numbers; the table
 * beside it keeps the exact values. Colours come from the JupyterLab theme (style/base.css), so
 * the light and dark themes both draw it.
 */
export interface MemoryBarProps {
  lang: Language;
  verdict: FitVerdict;
  totalMib: number;
  availableMib: number;
  /** The terms in the estimate's order; empty for a card's small bar (the total alone). */
  rows: readonly TermRow[];
  /** A card's small bar: no legend, a shorter label. */
  compact?: boolean;
}

/** The bar's scale: the larger of the total and the free memory, with room for the line to show. */
function scaleOf(totalMib: number, availableMib: number): number {
  return Math.max(totalMib, availableMib, 1) * 1.05;
}

const percent = (mib: number, scale: number) => `${((100 * mib) / scale).toFixed(2)}%`;

/** What a screen reader hears: the total against the free memory, then each part. */
export function barLabel(props: Pick<MemoryBarProps, 'lang' | 'verdict' | 'totalMib' | 'availableMib' | 'rows' | 'compact'>): string {
  const { lang } = props;
  const head = t(lang, props.compact ? 'ui.bar.card' : 'ui.bar', { total: formatMiB(props.totalMib), available: formatMiB(props.availableMib), verdict: t(lang, `ui.bar.${props.verdict}`) });
  if (props.compact || props.rows.length === 0) return head;
  const parts = props.rows.map(r => t(lang, 'ui.bar.part', { label: r.label, size: formatMiB(r.mib) }));
  return `${head} ${parts.join(t(lang, 'ui.bar.separator'))}`;
}

export function MemoryBar(props: MemoryBarProps): JSX.Element {
  const scale = scaleOf(props.totalMib, props.availableMib);
  const segments = props.rows.length > 0 ? props.rows : [{ term: 'total', label: '', mib: props.totalMib }];
  return (
    <div
      className={`jp-ModelAdvisor-bar jp-ModelAdvisor-bar-${props.verdict}${props.compact ? ' jp-ModelAdvisor-bar-compact' : ''}`}
      role="img"
      aria-label={barLabel(props)}
      data-testid={props.compact ? 'model-advisor-card-bar' : 'model-advisor-bar'}
    >
      <div className="jp-ModelAdvisor-bar-track">
        {segments.map(s => (
          <span key={s.term} className={`jp-ModelAdvisor-bar-segment jp-ModelAdvisor-term-${s.term}`} style={{ width: percent(s.mib, scale) }} />
        ))}
        <span className="jp-ModelAdvisor-bar-free" style={{ left: percent(props.availableMib, scale) }} />
      </div>
      {!props.compact && (
        <ul className="jp-ModelAdvisor-legend" aria-hidden="true">
          {props.rows.map(r => (
            <li key={r.term}>
              <span className={`jp-ModelAdvisor-swatch jp-ModelAdvisor-term-${r.term}`} />
              {r.label}
            </li>
          ))}
          <li>
            <span className="jp-ModelAdvisor-swatch jp-ModelAdvisor-swatch-free" />
            {t(props.lang, 'ui.bar.freeLine', { available: formatMiB(props.availableMib) })}
          </li>
        </ul>
      )}
    </div>
  );
}
