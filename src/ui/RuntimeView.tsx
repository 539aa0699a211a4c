import * as React from 'react';
import type { GpuReport } from '../core/report';
import { Language, t } from '../core/i18n';
import { formatMiB } from './format';

import type { RuntimeState } from './panel/host';

/** nvidia-smi is simply absent on a machine without an NVIDIA driver: that is "no GPU", not a failure. */
const ABSENT = /not on PATH/;

/** True when nvidia-smi is there but failed (a broken driver): the runtime may have a GPU it cannot use. */
export function driverFailed(report: GpuReport): boolean {
  return report.gpus.length === 0 && report.errors.some(e => e.source === 'nvidia-smi' && !ABSENT.test(e.message));
}

/** GPU memory already taken on the first GPU (by this kernel's model, or another process); null when unknown. */
export function usedMib(report: GpuReport): number | null {
  const first = report.gpus[0];
  if (!first) return null;
  if (first.memory_used_mib !== null) return first.memory_used_mib;
  if (first.memory_total_mib === null || first.memory_free_mib === null) return null;
  return Math.max(0, first.memory_total_mib - first.memory_free_mib);
}

/** Below this, "in use" is the CUDA context and the driver's own share, not a model (about 0.3–0.5 GiB). */
const BUSY_MIB = 1024;

/** "Tesla T4 · 15.0 GiB", "2 × Tesla T4 · 15.0 GiB each", or that there is none. */
export function describeGpus(lang: Language, report: GpuReport): string {
  const gpus = report.gpus;
  if (gpus.length === 0) {
    if (driverFailed(report)) return t(lang, 'ui.gpuUnreadable');
    return t(lang, report.backend === 'mps' ? 'ui.appleGpu' : 'ui.noGpu');
  }
  const first = gpus[0];
  const memory = first.memory_total_mib === null ? '?' : formatMiB(first.memory_total_mib);
  const same = gpus.every(g => g.name === first.name);
  if (gpus.length > 1 && same) {
    return t(lang, 'ui.gpuCount', { count: gpus.length, name: first.name ?? '?', memory });
  }
  return gpus.map(g => t(lang, 'ui.gpuLine', { name: g.name ?? '?', memory: g.memory_total_mib === null ? '?' : formatMiB(g.memory_total_mib) })).join(' + ');
}

/**
 * The runtime section. `compact` (a notebook's output): the GPU, its free memory, RAM, disk and
 * platform on one line beside the button, so the panel fits one screen; warnings keep lines of
 * their own. `offline`: the kernel is gone, so "Check again" cannot ask it.
 */
export function RuntimeView(props: { lang: Language; state: RuntimeState; onRefresh: () => void; compact?: boolean; offline?: boolean }): JSX.Element {
  const { lang, state } = props;
  let body: JSX.Element;
  switch (state.kind) {
    case 'no-notebook':
      body = <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.noNotebook')}</p>;
      break;
    case 'no-kernel':
      body = <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.noKernel')}</p>;
      break;
    case 'not-python':
      body = <p className="jp-ModelAdvisor-error">{t(lang, 'ui.notPython', { language: state.language })}</p>;
      break;
    case 'probing':
      body = <p className="jp-ModelAdvisor-muted">{t(lang, state.busy ? 'ui.waiting' : 'ui.probing')}</p>;
      break;
    case 'error':
      body = <p className="jp-ModelAdvisor-error">{t(lang, 'ui.probeFailed', { message: state.message })}</p>;
      break;
    case 'ready': {
      const r = state.report;
      const free = r.gpus[0]?.memory_free_mib;
      const used = usedMib(r);
      // What the probe could not learn, in its own words (a broken driver must not read as "no GPU").
      const problems = r.errors.filter(e => !(e.source === 'nvidia-smi' && ABSENT.test(e.message)));
      const facts = [
        free !== undefined && free !== null ? t(lang, 'ui.freeMemory', { free: formatMiB(free) }) : null,
        r.ram_total_mib !== null && r.ram_available_mib !== null ? t(lang, 'ui.ram', { available: formatMiB(r.ram_available_mib), total: formatMiB(r.ram_total_mib) }) : null,
        r.disk_free_mib !== null ? t(lang, 'ui.disk', { free: formatMiB(r.disk_free_mib) }) : null,
        t(lang, 'ui.platform', { platform: t(lang, `ui.platform.${r.platform}`) })
      ].filter((f): f is string => f !== null);
      const gpu = (
        <div className="jp-ModelAdvisor-gpu" data-testid="model-advisor-gpu">
          {describeGpus(lang, r)}
        </div>
      );
      const notes = (
        <>
          {used !== null && used >= BUSY_MIB && (
            <div className="jp-ModelAdvisor-warning" data-testid="model-advisor-busy">
              {t(lang, 'ui.gpuInUse', { used: formatMiB(used) })}
            </div>
          )}
          {problems.map(e => (
            <div key={`${e.source}: ${e.message}`} className="jp-ModelAdvisor-muted jp-ModelAdvisor-code" data-testid="model-advisor-probe-error">
              {e.source}: {e.message}
            </div>
          ))}
        </>
      );
      body = props.compact ? (
        <>
          <div className="jp-ModelAdvisor-runtimeLine">
            {gpu}
            <span className="jp-ModelAdvisor-muted" data-testid="model-advisor-runtime-facts">
              {facts.join(' · ')}
            </span>
          </div>
          {notes}
        </>
      ) : (
        <>
          {gpu}
          {free !== undefined && free !== null && <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.freeMemory', { free: formatMiB(free) })}</div>}
          {notes}
          <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.platform', { platform: t(lang, `ui.platform.${r.platform}`) })}</div>
          {r.ram_total_mib !== null && r.ram_available_mib !== null && (
            <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.ram', { available: formatMiB(r.ram_available_mib), total: formatMiB(r.ram_total_mib) })}</div>
          )}
          {r.disk_free_mib !== null && <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.disk', { free: formatMiB(r.disk_free_mib) })}</div>}
        </>
      );
      break;
    }
  }
  return (
    <section className={`jp-ModelAdvisor-section${props.compact ? ' jp-ModelAdvisor-runtime-compact' : ''}`} aria-label={t(lang, 'ui.runtime')} aria-live="polite">
      <div className="jp-ModelAdvisor-row">
        <h2>{t(lang, 'ui.runtime')}</h2>
        <button type="button" onClick={props.onRefresh} disabled={props.offline || state.kind === 'no-notebook' || state.kind === 'probing'}>
          {t(lang, 'ui.refresh')}
        </button>
      </div>
      {body}
    </section>
  );
}
