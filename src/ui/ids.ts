/**
 * The ids and radio names of one panel. The sidebar and any number of widgets can share a page
 * (two outputs, or a widget beside the sidebar): with one fixed radio `name` only one radio on
 * the page could be checked, and a fixed `id` makes `htmlFor` and `aria-*` point into another
 * panel. Each panel gives its views its own prefix; a view rendered alone keeps the plain one.
 */
import * as React from 'react';

const PanelPrefix = React.createContext('jp-ModelAdvisor');

export const PanelIds = PanelPrefix.Provider;

/**
 * The count lives on the page, not in this module: every widget output evaluates its own copy
 * of the bundle (anywidget imports each view's ESM anew), and the sidebar's extension bundle is
 * another copy again, so a module-level counter gave two widgets the same "p1" (Galata,
 * widget_hosts.spec.ts: two panels on one page).
 */
const COUNTER = Symbol.for('jupyterlab-model-advisor.panels');

/** A prefix no other panel on this page has: jp-ModelAdvisor-p1, -p2, … */
export function newPanelPrefix(): string {
  const page = globalThis as unknown as Record<symbol, number | undefined>;
  page[COUNTER] = (page[COUNTER] ?? 0) + 1;
  return `jp-ModelAdvisor-p${page[COUNTER]}`;
}

/** `id('seqLen')` → this panel's id for that control. */
export function usePanelId(): (name: string) => string {
  const prefix = React.useContext(PanelPrefix);
  return name => `${prefix}-${name}`;
}
