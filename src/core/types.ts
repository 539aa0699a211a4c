/**
 * The words the core speaks in: the types every wing of `src/core` and every shell share.
 * A wing may add its own types beside its code; these are the ones that cross wings.
 */

/** How the model is used: plain generation, or one of three ways to fine-tune it. */
export type Method = 'inference' | 'full' | 'lora' | 'qlora';
export const METHODS: readonly Method[] = ['inference', 'full', 'lora', 'qlora'];

/** What the user wants the model for, in the catalog's vocabulary. */
export type Task = 'generation' | 'chat' | 'classification' | 'ner' | 'qa' | 'translation' | 'code';
export const TASKS: readonly Task[] = ['generation', 'chat', 'classification', 'ner', 'qa', 'translation', 'code'];

/** Storage of the base weights. `int8`/`nf4` are bitsandbytes quantization. */
export type WeightDtype = 'fp32' | 'bf16' | 'fp16' | 'int8' | 'nf4';

/** A model's `config.json`, as published (only the fields the estimate reads are typed). */
export interface ModelConfig {
  architectures?: string[];
  model_type?: string;
  [field: string]: unknown;
}

/** One row of the catalog (`src/core/catalog/models.json`, schema `schema/catalog.schema.json`). */
export interface ModelEntry {
  id: string; // Hugging Face id, e.g. "Qwen/Qwen2.5-7B-Instruct"
  modelscope_id: string | null;
  tasks: Task[];
  languages: string[]; // ISO 639-1, e.g. ["zh", "en"]; "zh-Hant" / "zh-Hans" for a model tuned for one script
  chinese: number; // 0–5 stars: how well it handles Chinese
  license: string;
  commercial: boolean;
  gated: boolean;
  trust_remote_code: boolean;
  /** A reasoning model: writes a long chain of thought before each answer (DeepSeek-R1 distills). */
  reasoning?: boolean;
  context_length: number;
  released: string; // YYYY-MM
  /** Published checkpoint: what a download costs. */
  checkpoint?: { dtype: 'fp32' | 'bf16' | 'fp16'; total_bytes?: number; largest_shard_bytes?: number; format?: 'safetensors' | 'bin' };
  config: ModelConfig; // the architecture fields of the published config.json
  notes?: string;
}

/** A GPU (or a CPU-only / Apple runtime) as the estimate sees it. */
export interface GpuProfile {
  id: string; // "t4", "a100-40gb", "cpu", …
  name: string; // as nvidia-smi names it, e.g. "Tesla T4"
  backend: 'cuda' | 'mps' | 'rocm' | 'cpu';
  count: number; // GPUs in the runtime (Kaggle 2×T4 → 2)
  memory_mib: number; // per GPU, as the runtime reports it (nvidia-smi memory.total)
  free_mib?: number; // from a probe report, when known
  compute_capability: string | null; // "7.5"
  bf16: boolean; // native bf16: capability ≥ 8.0
  bnb_4bit: boolean; // bitsandbytes 4-bit: capability ≥ 6.0 (0.48+), or CPU
  flash_attention_2: boolean; // capability ≥ 8.0
  ram_mib?: number; // system RAM of the runtime, when known
  disk_free_mib?: number;
}
