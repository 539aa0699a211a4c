/** MiB → "15.0 GiB" (or "512 MiB"), as the sidebar shows memory. */
export function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

/** A count as the panel writes every number: "3,909" (tokens, cells, steps), in every language (the core's). */
export { formatCount } from '../core/i18n/names';
