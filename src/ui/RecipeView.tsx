import * as React from 'react';
import { usePanelId } from './ids';
import type { Method } from '../core';
import { Language, t } from '../core/i18n';
import { ATTENTIONS, DEFAULT_RECIPE, KV_CACHE_DTYPES, LOSSES, OPTIMIZERS, Optimizer, parseLoraTargets, PRECISIONS, Recipe } from '../core/memory';
import { SelectField } from './ChoicesView';

/** What "Your recipe" changes: the recipe fields, the optimizer and the LoRA rank (null: as the plan picks). */
export interface RecipeChange {
  recipe?: Partial<Recipe>;
  optimizer?: Optimizer | null;
  loraR?: number | null;
}

export interface RecipeViewProps {
  lang: Language;
  method: Method | null;
  recipe: Partial<Recipe>;
  /** The recipe the estimate priced (the cells' choices for this family where the user chose nothing). */
  priced?: Recipe;
  optimizer: Optimizer | null;
  loraR: number | null;
  onChange(change: RecipeChange): void;
}

/** The names scripts use on the command line (`fit --optimizer`), the same in every language. */
const OPTIMIZER_NAMES: Record<Optimizer, string> = { adamw_torch: 'adamw', adamw_8bit: 'adamw-8bit', paged_adamw_8bit: 'paged-adamw-8bit', adafactor: 'adafactor', sgd: 'sgd' };

/** One labelled input: id `<panel prefix>-<id>` (ids.ts), test id `model-advisor-<id>`; `onCommit` on blur and Enter. */
function InputField(props: {
  id: string;
  label: string;
  type: 'number' | 'text';
  value: string;
  min?: number;
  inputMode?: 'numeric';
  onChange(text: string): void;
  onCommit?(): void;
}): JSX.Element {
  const pid = usePanelId();
  const id = pid(props.id);
  return (
    <div className="jp-ModelAdvisor-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        data-testid={`model-advisor-${props.id}`}
        type={props.type}
        min={props.min}
        inputMode={props.inputMode}
        value={props.value}
        onChange={e => props.onChange(e.currentTarget.value)}
        onBlur={() => props.onCommit?.()}
        onKeyDown={e => e.key === 'Enter' && props.onCommit?.()}
      />
    </div>
  );
}

function targetsText(targets: Recipe['loraTargets'] | undefined): string {
  if (targets === undefined) return DEFAULT_RECIPE.loraTargets as string;
  return typeof targets === 'string' ? targets : targets.join(',');
}

/**
 * "Your recipe": a collapsed group under "What for". Its defaults are what the cells do; any
 * change prices the user's own script (optimizer, LoRA, kbit preparation, attention, loss,
 * precision, KV cache) — the estimate follows, the inserted cells do not.
 */
export function RecipeView(props: RecipeViewProps): JSX.Element {
  const pid = usePanelId();
  const { lang, recipe } = props;
  const shown: Recipe = { ...DEFAULT_RECIPE, ...(props.priced ?? {}), ...recipe };
  const set = (change: Partial<Recipe>) => props.onChange({ recipe: { ...recipe, ...change } });
  const [targets, setTargets] = React.useState(targetsText(recipe.loraTargets));
  const training = props.method !== 'inference';
  return (
    <details className="jp-ModelAdvisor-section jp-ModelAdvisor-recipe" data-testid="model-advisor-recipe">
      <summary>{t(lang, 'ui.recipe')}</summary>
      <p className="jp-ModelAdvisor-note">{t(lang, 'ui.recipe_note')}</p>
      <div className="jp-ModelAdvisor-grid">
        {training && (
          <SelectField
            id="recipe-optimizer"
            label={t(lang, 'ui.recipe_optimizer')}
            value={props.optimizer ?? 'default'}
            options={['default', ...OPTIMIZERS] as const}
            name={o => (o === 'default' ? t(lang, 'ui.recipe_optimizer_default') : OPTIMIZER_NAMES[o])}
            onChange={o => props.onChange({ optimizer: o === 'default' ? null : o })}
          />
        )}
        {training && (
          <InputField
            id="recipe-lora-r"
            label={t(lang, 'ui.recipe_loraR')}
            type="number"
            min={1}
            inputMode="numeric"
            value={String(props.loraR ?? 16)}
            onChange={text => {
              const r = Number(text);
              props.onChange({ loraR: Number.isInteger(r) && r > 0 ? r : null });
            }}
          />
        )}
        {training && (
          <InputField
            id="recipe-targets"
            label={t(lang, 'ui.recipe_loraTargets')}
            type="text"
            value={targets}
            onChange={setTargets}
            onCommit={() => set({ loraTargets: parseLoraTargets(targets || 'all-linear') })}
          />
        )}
        <SelectField id="recipe-attention" label={t(lang, 'ui.recipe_attention')} value={shown.attention} options={ATTENTIONS} name={a => a} onChange={attention => set({ attention })} />
        {training && <SelectField id="recipe-loss" label={t(lang, 'ui.recipe_loss')} value={shown.loss} options={LOSSES} name={l => l} onChange={loss => set({ loss })} />}
        {props.method === 'full' && (
          <SelectField id="recipe-precision" label={t(lang, 'ui.recipe_precision')} value={shown.precision} options={PRECISIONS} name={p => p} onChange={precision => set({ precision })} />
        )}
        {!training && (
          <SelectField
            id="recipe-kv-cache"
            label={t(lang, 'ui.recipe_kvCache')}
            value={shown.kvCacheDtype ?? 'default'}
            options={['default', ...KV_CACHE_DTYPES] as const}
            name={k => (k === 'default' ? t(lang, 'ui.recipe_kvCache_default') : k)}
            onChange={k => set({ kvCacheDtype: k === 'default' ? null : k })}
          />
        )}
        {training && (
          <div className="jp-ModelAdvisor-field jp-ModelAdvisor-check">
            <input
              id={pid('recipe-kbit')}
              data-testid="model-advisor-recipe-kbit"
              type="checkbox"
              checked={shown.kbitPrep}
              onChange={e => set({ kbitPrep: e.currentTarget.checked })}
            />
            <label htmlFor={pid('recipe-kbit')}>{t(lang, 'ui.recipe_kbitPrep')}</label>
          </div>
        )}
      </div>
    </details>
  );
}
