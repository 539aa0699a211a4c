import * as React from 'react';
import { usePanelId } from './ids';
import type { GpuProfile } from '../core';
import { Language, t } from '../core/i18n';
import { formatMiB } from './format';
import { gpuName } from './rows';
import { MAX_TARGET_GIB, MIN_TARGET_GIB, PlanTarget, targetGroups, TargetGroup, targetValue } from './targets';

/**
 * "Plan for: this runtime | <profile> | a GPU with N GiB" — the first question of the panel.
 * When the target is another GPU than the runtime's, a line says so plainly: the estimate, the
 * list and the cells are all for that GPU.
 */
export interface PlanForViewProps {
  lang: Language;
  target: PlanTarget;
  /** The runtime's GPU in words ("Tesla T4", "CPU only"); null until the probe answers. */
  runtimeGpu: string | null;
  /** The GPU planned for, when it is not the runtime's. */
  otherGpu: GpuProfile | null;
  /** The "N GiB" box as typed (kept while invalid). */
  memoryText: string;
  onChange(change: { target?: PlanTarget; memoryText?: string }): void;
  profiles?: readonly GpuProfile[];
}

const GROUP_KEYS = {
  colab: 'ui.target.colab',
  kaggle: 'ui.target.kaggle',
  consumer: 'ui.target.consumer',
  datacenter: 'ui.target.datacenter',
  apple: 'ui.target.apple',
  cpu: 'ui.target.cpu',
  other: 'ui.target.other'
} as const satisfies Record<TargetGroup, string>;

/** "Tesla T4 · 15.0 GiB", "2 × Tesla T4 · 15.0 GiB each", "CPU only". */
export function profileText(lang: Language, gpu: GpuProfile): string {
  if (gpu.backend === 'cpu') return gpuName(lang, gpu.name);
  if (gpu.backend === 'mps') return t(lang, 'ui.gpuLine', { name: gpuName(lang, gpu.name), memory: formatMiB(gpu.memory_mib) });
  if (gpu.count > 1) return t(lang, 'ui.gpuCount', { count: gpu.count, name: gpu.name, memory: formatMiB(gpu.memory_mib) });
  return t(lang, 'ui.gpuLine', { name: gpu.name, memory: formatMiB(gpu.memory_mib) });
}

export function PlanForView(props: PlanForViewProps): JSX.Element {
  const pid = usePanelId();
  const { lang, target } = props;
  const typed = props.memoryText.trim();
  const gibError = target.kind === 'memory' && !(/^\d+$/.test(typed) && Number(typed) >= MIN_TARGET_GIB && Number(typed) <= MAX_TARGET_GIB);
  const choose = (value: string) => {
    if (value === 'runtime') props.onChange({ target: { kind: 'runtime' } });
    else if (value === 'memory') props.onChange({ target: { kind: 'memory', gib: Number(props.memoryText) || 24 }, memoryText: props.memoryText || '24' });
    else props.onChange({ target: { kind: 'profile', id: value.slice('profile:'.length) } });
  };
  return (
    <section className="jp-ModelAdvisor-section jp-ModelAdvisor-planFor">
      <div className="jp-ModelAdvisor-field">
        <label id={pid('planForLabel')} htmlFor={pid('planFor')}>
          {t(lang, 'ui.planFor')}
        </label>
        <select id={pid('planFor')} data-testid="model-advisor-plan-for" value={targetValue(target)} onChange={e => choose(e.currentTarget.value)}>
          <option value="runtime">{props.runtimeGpu === null ? t(lang, 'ui.target.runtime') : t(lang, 'ui.target.runtimeIs', { gpu: props.runtimeGpu })}</option>
          {targetGroups(props.profiles).map(group => (
            <optgroup key={group.group} label={t(lang, GROUP_KEYS[group.group])}>
              {group.profiles.map(p => (
                <option key={p.id} value={`profile:${p.id}`}>
                  {profileText(lang, p)}
                </option>
              ))}
            </optgroup>
          ))}
          <optgroup label={t(lang, 'ui.target.byMemory')}>
            <option value="memory">{t(lang, 'ui.target.memory')}</option>
          </optgroup>
        </select>
      </div>
      {target.kind === 'memory' && (
        <div className="jp-ModelAdvisor-field">
          <label htmlFor={pid('targetGib')}>{t(lang, 'ui.target.gib')}</label>
          <input
            id={pid('targetGib')}
            data-testid="model-advisor-target-gib"
            type="number"
            min={MIN_TARGET_GIB}
            max={MAX_TARGET_GIB}
            inputMode="numeric"
            value={props.memoryText}
            aria-invalid={gibError ? true : undefined}
            aria-describedby={gibError ? pid('targetGibError') : undefined}
            onChange={e => {
              const text = e.currentTarget.value;
              const gib = Number(text);
              const ok = /^\d+$/.test(text.trim()) && gib >= MIN_TARGET_GIB && gib <= MAX_TARGET_GIB;
              props.onChange(ok ? { memoryText: text, target: { kind: 'memory', gib } } : { memoryText: text });
            }}
          />
          {gibError && (
            <span id={pid('targetGibError')} className="jp-ModelAdvisor-error" role="alert">
              {t(lang, 'ui.target.gibInvalid', { min: MIN_TARGET_GIB, max: MAX_TARGET_GIB })}
            </span>
          )}
        </div>
      )}
      {props.otherGpu && (
        <p className="jp-ModelAdvisor-elsewhere" role="note" data-testid="model-advisor-elsewhere">
          {t(lang, 'ui.target.elsewhere', { target: profileText(lang, props.otherGpu), runtime: props.runtimeGpu ?? '?' })}
        </p>
      )}
    </section>
  );
}
