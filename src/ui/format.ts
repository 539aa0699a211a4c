import { formatCount } from '../core/i18n/names';
import { formatGiB } from '../core/memory/advice';

/** MiB → "15.0 GiB" (or "512 MiB", "2,879,627.4 GiB"), as the sidebar shows memory. */
export function formatMiB(mib: number): string {
  return mib >= 1024 ? formatGiB(mib) : `${formatCount(Math.round(mib))} MiB`;
}

/** A count as the panel writes every number: "3,909" (tokens, cells, steps), in every language (the core's). */
export { formatCount };
