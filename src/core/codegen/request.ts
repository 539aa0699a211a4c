/**
 * What a caller asks the cell generator for, and what it gets back (the contract's names).
 */
import type { GpuProfile, Method, ModelEntry, Task } from '../types';
import type { Language } from '../i18n';
import type { EstimateSettings, Plan, Strategy } from '../memory';

/** One notebook cell. `step` names the template it came from ("load", "train", …). */
export interface Cell {
  cell_type: 'code' | 'markdown';
  source: string;
  step: string;
}

/** Where the weights come from: the hub, a mirror of it (HF_ENDPOINT), or ModelScope. */
export type WeightSource = 'hf' | 'modelscope' | 'mirror';

/**
 * The facts of a probe report the cells use (a `GpuReport` from src/core/report.ts fits this
 * shape): installed package versions, free RAM and disk of the runtime.
 */
export interface RuntimeFacts {
  packages?: Readonly<Record<string, string | null | undefined>> | null;
  ram_total_mib?: number | null;
  ram_available_mib?: number | null;
  disk_free_mib?: number | null;
}

export interface CellRequest {
  model: ModelEntry;
  /** A local folder that replaces the id when loading. */
  modelPath?: string;
  gpu: GpuProfile;
  method: Method;
  task?: Task;
  /** Which steps, in any order (they are emitted in the canonical order); default: by method. */
  steps?: string[];
  /** A hub dataset id, or a local .json / .jsonl / .csv file. */
  dataset?: string;
  source?: WeightSource;
  maxSteps?: number;
  report?: RuntimeFacts;
  language?: Language;
  settings?: Partial<EstimateSettings>;
  /** Several GPUs: how they share the training (default auto: the memory wing's choice). */
  strategy?: Strategy | 'auto';
  /**
   * The plan already made for this model, GPU and method (the panel's chosen one): the cells use
   * it as it is. Without it the cells make it from `settings` and `strategy` (`planTraining`).
   */
  plan?: Plan;
  /** Additions beyond the contract, all optional. */
  prompt?: string;
  numLabels?: number; // classification heads; default 2
  saveDir?: string; // default "outputs/<model name>-<method>"
  cacheDir?: string; // HF_HOME; default: the library's own
  mirrorUrl?: string; // default https://hf-mirror.com
  /**
   * The GPU's exact recipe (number formats, 4-bit compute, mixed precision, attention, optimizer,
   * steps) with the model placed on the CPU: try a Colab notebook on a laptop first.
   */
  simulateOnCpu?: boolean;
  /** How many tokens "try it" generates; default 128. */
  maxNewTokens?: number;
  /** The language of the training data ("en", "zh", …): picks the sample data and prompt; default: from `language`. */
  dataLanguage?: string;
}

/** A request the generator cannot honour, said in words the user can act on. */
export class CellRequestError extends Error {}
