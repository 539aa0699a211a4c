/**
 * `params`, `fit`, `recommend`, `gpus`, `models`: the core's judgement from a terminal.
 * Each prints a readable table, or with --json the data the core returned.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, ParsedArgs, UsageError, flagInt, flagString, parseArgs } from './args';
import { findModel, HubSource, idProblem, MODELS, modelFromConfig, modelFromHub } from '../core/catalog';
import { findGpu, gpuFromReport, GPU_PROFILES } from '../core/gpu';
import {
  ATTENTIONS,
  chooseStrategy,
  defaultSettings,
  estimateMemory,
  EstimateSettings,
  KV_CACHE_DTYPES,
  LOSSES,
  maxSeqLenSpread,
  MemoryEstimate,
  MULTI_GPU_STRATEGIES,
  Optimizer,
  parseLoraTargets,
  PRE_QUANTIZED,
  PRECISIONS,
  Recipe,
  RecipeError,
  Strategy,
  StrategyChoice,
  strategyName
} from '../core/memory';
import { fetchHubAnswer } from './hub';
import { countParameters, UnknownFamilyError } from '../core/params';
import { recommendModels } from '../core/recommend';
import { parseGpuReport } from '../core/report';
import { GpuProfile, METHODS, ModelConfig, ModelEntry, TASKS, Task, WeightDtype } from '../core/types';

const DTYPES: readonly WeightDtype[] = ['fp32', 'bf16', 'fp16', 'int8', 'nf4'];

/** `--strategy`: how several GPUs share the work (src/core/memory/strategies.ts); `auto` picks. */
export const STRATEGY_CHOICES: ReadonlyArray<Strategy | 'auto'> = ['auto', ...MULTI_GPU_STRATEGIES];

/** --strategy, checked against the words we know; the GPUs and method are checked by the core. */
export function resolveStrategy(args: ParsedArgs): Strategy | 'auto' {
  return oneOf(args, 'strategy', STRATEGY_CHOICES, 'auto') as Strategy | 'auto';
}

/** A strategy the core refuses for these GPUs or settings is the user's to change: a usage error. */
export function strategyError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && /the [\w-]+ strategy /.test(e.message)) throw new UsageError(e.message);
    throw e;
  }
}

/** The per-GPU part of `fit --json`: one entry per GPU with its breakdown, and the RAM. */
function spreadJson(choice: StrategyChoice) {
  const suffixed = (terms: Record<string, number>) => Object.fromEntries(Object.entries(terms).map(([k, v]) => [k + '_mib', v]));
  const e = choice.spread;
  return {
    strategy: e.strategy,
    engine: e.engine,
    gpus: e.gpus,
    processes: e.processes,
    per_gpu_mib: e.per_gpu.map(g => ({ gpu: g.index, total_mib: g.total_mib, breakdown: suffixed(g.breakdown) })),
    placement: e.placement,
    cpu_ram_mib: { total_mib: e.cpu.total_mib, breakdown: suffixed(e.cpu.breakdown), available_mib: e.cpu.available_mib },
    ram_verdict: e.ram_verdict,
    strategies: choice.tried.map(t => ({ strategy: t.strategy, busiest_mib: t.busiest_mib, ram_mib: t.cpu.total_mib, verdict: t.verdict }))
  };
}

const PLACES: Record<string, string> = {
  every_gpu: 'every GPU',
  sharded: 'split over the GPUs',
  split_by_layer: 'split by layer',
  first_gpu: 'first GPU',
  last_gpu: 'last GPU',
  cpu_ram: 'CPU RAM'
};

/** `fit` on several GPUs: the strategy, each GPU's terms and where they live, the RAM, the other strategies. */
function spreadLines(model: ModelEntry, gpu: GpuProfile, settings: EstimateSettings, e: MemoryEstimate, choice: StrategyChoice): string[] {
  const s = choice.spread;
  const method = settings.method;
  const lines = [
    `${model.id} (${n(e.params)} parameters) · ${method} · ${gpu.count} × ${gpu.name}, ${n(s.available_mib)} MiB usable each · ${n(settings.seqLen)} tokens × batch ${settings.batch} per GPU`,
    `Strategy: ${strategyName(s.strategy, method)} — ${s.engine}, ${s.processes} process${s.processes > 1 ? 'es' : ''}`,
    ''
  ];
  // Identical GPUs print once; a layer split shows each GPU.
  const same = s.per_gpu.every(g => JSON.stringify(g.breakdown) === JSON.stringify(s.per_gpu[0].breakdown));
  const shown = same ? [s.per_gpu[0]] : s.per_gpu;
  const terms = Object.keys(s.per_gpu[0].breakdown).filter(k => s.per_gpu.some(g => g.breakdown[k] > 0));
  const rows = [['  per GPU', ...shown.map(g => (same ? 'each GPU' : `GPU ${g.index}`)), 'where']];
  for (const k of terms) rows.push([`  ${k.replace(/_/g, ' ')}`, ...shown.map(g => `${n(g.breakdown[k])} MiB`), PLACES[s.placement[k]] ?? '']);
  rows.push(['  total', ...shown.map(g => `${n(g.total_mib)} MiB`), `of ${n(s.available_mib)} → ${s.gpu_verdict === 'no' ? 'does not fit' : s.gpu_verdict}`]);
  lines.push(table(rows).trimEnd());
  const ram = Object.entries(s.cpu.breakdown).filter(([, v]) => v > 0).map(([k, v]) => `${k.replace(/_/g, ' ')} ${n(v)} MiB`).join(', ');
  const ramOf = s.cpu.available_mib === null ? '' : ` of ${n(s.cpu.available_mib)}${s.ram_verdict ? ` → ${s.ram_verdict === 'no' ? 'does not fit' : s.ram_verdict}` : ''}`;
  const unknown = s.cpu.available_mib === null && Object.keys(s.cpu.breakdown).length > 1 ? ' The RAM of this runtime is unknown: give --report (the probe) to judge it.' : '';
  lines.push('', `CPU RAM: ${n(s.cpu.total_mib)} MiB${ramOf} (${ram}).${unknown}`);
  lines.push('', 'At these settings:');
  for (const t of choice.tried) {
    const ramNote = t.ram_verdict !== null || Object.keys(t.cpu.breakdown).length > 1 ? `, ${n(t.cpu.total_mib)} MiB RAM` : '';
    lines.push(`  ${t.strategy === s.strategy ? '*' : ' '} ${t.strategy.padEnd(14)} ${n(t.busiest_mib).padStart(8)} MiB on the busiest GPU${ramNote} → ${t.verdict === 'no' ? 'does not fit' : t.verdict}`);
  }
  return lines;
}

function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required`);
  return value;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A catalog id, or a config.json (or the folder holding one) for any other model. */
function resolveModel(spec: string): ModelEntry {
  const file = existsSync(spec) && statSync(spec).isDirectory() ? join(spec, 'config.json') : spec;
  if (existsSync(file)) {
    try {
      return modelFromConfig(readJson(file), resolve(dirname(file)));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
  }
  const model = findModel(spec);
  if (!model) throw new UsageError(`unknown model ${JSON.stringify(spec)}: not in the catalog and not a config.json path (\`model-advisor models\` lists the catalog)`);
  return model;
}

/** --gpu (profile id or size) or --report (a probe JSON file); the report wins, it is this machine. */
function resolveGpu(args: ParsedArgs): GpuProfile {
  const reportFile = flagString(args, 'report');
  if (reportFile !== undefined) {
    const parsed = parseGpuReport(readJson(reportFile));
    if (!parsed.ok) throw new UsageError(`${reportFile}: ${parsed.error}`);
    return gpuFromReport(parsed.report);
  }
  const spec = required(flagString(args, 'gpu'), '--gpu <profile-id | 24GB | 24GiB>');
  try {
    return findGpu(spec);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Core errors a user caused (unknown family, broken config) become one-line usage errors. */
function userError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof UnknownFamilyError || e instanceof RecipeError || (e instanceof Error && /config\.json lacks/.test(e.message))) throw new UsageError(e.message);
    throw e;
  }
}

const n = (x: number) => x.toLocaleString('en-US');
const gib = (mib: number) => (mib / 1024).toFixed(1) + ' GiB';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => (r[i] ?? '').length)));
  return rows.map(r => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

const paramsCommand: Command = {
  name: 'params',
  usage: 'params <config.json> [--json]',
  summary: 'exact parameter count of a model from its config.json',
  run(argv, out) {
    const args = parseArgs(argv, ['json']);
    const file = required(args.positional[0], 'a config.json path');
    const config = readJson(file);
    if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new UsageError(`${file} is not a config.json object`);
    const count = userError(() => countParameters(config as ModelConfig));
    if (args.flags.has('json')) {
      out(JSON.stringify({ params: count.total, ...count }) + '\n');
      return 0;
    }
    const rows = [
      ['family', count.family],
      ['architecture', count.architecture],
      ['parameters', n(count.total)],
      ['  embeddings', n(count.embedding)],
      ['  output head', count.tied ? 'tied to the embeddings' : n(count.lm_head)],
      ['  Linear weights', n(count.linear)],
      ['  norms and biases', n(count.norms_and_biases)]
    ];
    if (count.other) rows.push(['  other (experts, routers, …)', n(count.other)]);
    if (count.moe) rows.push(['active per token', n(count.moe.active_total)]);
    out(table(rows));
    return 0;
  }
};

/** The flags of `fit` that take a value: the settings, the recipe, and --hub's source. */
const FIT_FLAGS = ['gpu', 'report', 'method', 'strategy', 'dtype', 'seq-len', 'batch', 'prompt-len', 'lora-r', 'lora-alpha', 'optimizer', 'lora-targets', 'attention', 'loss', 'precision', 'weights', 'kv-cache-dtype', 'transformers', 'source', 'endpoint', 'timeout'];

/** The `fit` recipe flags, by the names scripts use, and the core's words for them. */
const OPTIMIZER_FLAGS: Record<string, Optimizer> = { adamw: 'adamw_torch', 'adamw-8bit': 'adamw_8bit', 'paged-adamw-8bit': 'paged_adamw_8bit', adafactor: 'adafactor', sgd: 'sgd' };
const HUB_SOURCES: readonly HubSource[] = ['hf', 'mirror', 'modelscope'];

/** The recipe a user stated with flags; what they leave out stays what our cells do. */
function recipeFromFlags(args: ParsedArgs, reportVersion: string | null): Partial<Recipe> {
  const recipe: Partial<Recipe> = {};
  const targets = flagString(args, 'lora-targets');
  if (targets !== undefined) recipe.loraTargets = parseLoraTargets(targets);
  if (args.flags.has('kbit-prep')) recipe.kbitPrep = true;
  const attention = oneOf(args, 'attention', ATTENTIONS);
  if (attention) recipe.attention = attention;
  const loss = oneOf(args, 'loss', LOSSES);
  if (loss) recipe.loss = loss;
  const precision = oneOf(args, 'precision', PRECISIONS);
  if (precision) recipe.precision = precision;
  const weights = oneOf(args, 'weights', PRE_QUANTIZED);
  if (weights) recipe.weights = weights;
  const kv = oneOf(args, 'kv-cache-dtype', KV_CACHE_DTYPES);
  if (kv) recipe.kvCacheDtype = kv;
  const version = flagString(args, 'transformers') ?? reportVersion ?? undefined;
  if (version !== undefined) {
    if (!/^\d+\.\d+/.test(version)) throw new UsageError(`--transformers must be a version such as 4.44.2, not ${JSON.stringify(version)}`);
    recipe.transformers = version;
  }
  return recipe;
}

/** The transformers version a probe report names, for the inference logits. */
function reportTransformers(args: ParsedArgs): string | null {
  const reportFile = flagString(args, 'report');
  if (reportFile === undefined) return null;
  const parsed = parseGpuReport(readJson(reportFile));
  return parsed.ok ? parsed.report.packages.transformers : null;
}

/** `--hub`: the id is fetched from the chosen source (node fetch), never looked up in the catalog. */
async function hubModel(args: ParsedArgs, id: string): Promise<ModelEntry> {
  const source = oneOf(args, 'source', HUB_SOURCES, process.env.HF_ENDPOINT ? 'mirror' : 'hf') as HubSource;
  // As the kernel's snippet does: HF_ENDPOINT when set; a mirror without one is hf-mirror.com.
  const endpoint = flagString(args, 'endpoint') ?? (source === 'modelscope' ? undefined : process.env.HF_ENDPOINT || (source === 'mirror' ? 'https://hf-mirror.com' : undefined));
  const timeout = flagInt(args, 'timeout', 20);
  const problem = idProblem(id);
  if (problem !== null) throw new UsageError(problem);
  const result = modelFromHub(await fetchHubAnswer(id, source, endpoint, timeout * 1000));
  if (!result.ok) throw new UsageError(result.message);
  return result.model;
}

const fitCommand: Command = {
  name: 'fit',
  usage: 'fit <model-id | config.json> --gpu <profile|24GB|24GiB|2xt4|8xh100-80gb> --method <inference|full|lora|qlora> [--strategy …] [recipe options] [--hub] [--report probe.json] [--json]',
  summary: 'memory a model needs on a GPU (or on each of several), term by term, and whether it fits — for our cells or for your own recipe',
  options: [
    ['--gpu <profile|24GB|24GiB|2xt4|8xh100-80gb>', 'a GPU profile (`model-advisor gpus`) or a size; a size alone leaves bf16, 4-bit and FlashAttention unknown; <N>x before either: N such GPUs'],
    ['--strategy <auto|ddp|fsdp|zero2|zero3|device-map|fsdp-offload|zero2-offload|zero3-offload>', 'several GPUs: how they share the work (default auto: the first that fits, fastest first)'],
    ['--report <probe.json>', "the kernel probe's report: this machine's GPU, free memory and transformers version"],
    ['--method <inference|full|lora|qlora>', 'how the model is used'],
    ['--hub', "fetch the model's config.json (and safetensors index or header) from the hub instead of the catalog"],
    ['--source <hf|mirror|modelscope>', 'where --hub fetches from (default: hf; mirror when HF_ENDPOINT is set)'],
    ['--endpoint <url>', 'the hub address for --hub (default: HF_ENDPOINT, else https://huggingface.co)'],
    ['--timeout <seconds>', 'how long --hub waits for each file (default 20)'],
    ['--dtype <fp32|bf16|fp16|int8|nf4>', 'the base weights for inference and LoRA (default: what the cells load)'],
    ['--seq-len <N>', 'tokens per sample (default 1,024, or the context length if shorter)'],
    ['--batch <N>', 'samples per device per step (default 1)'],
    ['--prompt-len <N>', 'inference: tokens of the prompt, the rest of --seq-len generated (default: all of it is prompt)'],
    ['--no-gradient-checkpointing', 'keep every layer\'s activations (the cells checkpoint)'],
    ['--optimizer <adamw|adamw-8bit|paged-adamw-8bit|adafactor|sgd>', 'the optimizer (default: paged-adamw-8bit for QLoRA on CUDA, else adamw)'],
    ['--lora-r <N>', 'LoRA rank (default 16)'],
    ['--lora-alpha <N>', 'LoRA alpha (default 2 × rank; no effect on memory)'],
    ['--lora-targets <all-linear|attention|names>', 'the Linear layers LoRA adapts: all but the head (default), the attention projections, or module names as in the model, comma-separated (q_proj,v_proj)'],
    ['--kbit-prep', "peft's prepare_model_for_kbit_training was called: embeddings, head and norms upcast to fp32"],
    ['--attention <eager|sdpa|flash>', 'attn_implementation: eager keeps batch × heads × seq² scores (default sdpa)'],
    ['--loss <standard|chunked>', 'full fp32 logits (default) or a chunked, fused cross-entropy (Liger, Unsloth)'],
    ['--precision <amp|pure-bf16>', 'full fine-tuning: fp32 master weights under autocast (default) or everything in bf16'],
    ['--weights <gptq-int4|awq-int4|fp8>', "a pre-quantized base (read from the config's quantization_config when it has one)"],
    ['--kv-cache-dtype <fp16|bf16|fp8>', 'inference: the KV cache (default: the compute dtype)'],
    ['--transformers <version>', "inference: the runtime's transformers (before 4.45 the prompt's logits are all kept; default: --report's, else current)"],
    ['--json', 'the estimate as JSON']
  ],
  async run(argv, out) {
    const args = parseArgs(argv, ['json', 'no-gradient-checkpointing', 'kbit-prep', 'hub'], FIT_FLAGS);
    const spec = required(args.positional[0], 'a model id or config.json path');
    const model = args.flags.has('hub') ? await hubModel(args, spec) : resolveModel(spec);
    const gpu = resolveGpu(args);
    const method = required(oneOf(args, 'method', METHODS), `--method <${METHODS.join('|')}>`);
    const asked = resolveStrategy(args);
    const wanted: Partial<EstimateSettings> = {};
    const dtype = oneOf(args, 'dtype', DTYPES);
    if (dtype) wanted.dtype = dtype;
    if (args.flags.has('seq-len')) wanted.seqLen = flagInt(args, 'seq-len', 1024);
    if (args.flags.has('batch')) wanted.batch = flagInt(args, 'batch', 1);
    if (args.flags.has('prompt-len')) wanted.promptLen = flagInt(args, 'prompt-len', 1);
    if (args.flags.has('lora-r')) wanted.loraR = flagInt(args, 'lora-r', 16);
    if (args.flags.has('lora-alpha')) wanted.loraAlpha = flagInt(args, 'lora-alpha', 32);
    if (args.flags.has('no-gradient-checkpointing')) wanted.gradientCheckpointing = false;
    const optimizer = oneOf(args, 'optimizer', Object.keys(OPTIMIZER_FLAGS));
    if (optimizer) wanted.optimizer = OPTIMIZER_FLAGS[optimizer];
    const recipe = recipeFromFlags(args, reportTransformers(args));
    if (Object.keys(recipe).length > 0) wanted.recipe = recipe;
    const settings = defaultSettings(model, gpu, method, wanted);
    const e = userError(() => estimateMemory(model, gpu, settings));
    const choice = strategyError(() => userError(() => chooseStrategy(model, gpu, settings, asked)));
    const multi = choice.spread.strategy !== 'single';
    // On several GPUs the verdict, the total and the breakdown are the busiest GPU's under the
    // strategy; one process's advice holds only where each GPU holds a whole copy (DDP).
    const s = choice.spread;
    const busiest = s.per_gpu.reduce((a, g) => (g.total_mib > a.total_mib ? g : a), s.per_gpu[0]);
    const advice = !multi || s.strategy === 'ddp' ? e.advice : e.advice.filter(a => a.code === 'no_4bit' || a.code === 'no_4bit_capability' || a.code === 'no_bf16');
    const verdict = multi ? s.verdict : e.verdict;
    const maxSeq = multi ? maxSeqLenSpread(model, gpu, settings, s.strategy, Math.max(settings.seqLen, model.context_length || 0)) : e.max_seq_len;
    const unknownCaps = gpu.backend === 'cuda' && gpu.compute_capability === null;
    if (args.flags.has('json')) {
      const breakdown = Object.fromEntries(Object.entries(multi ? busiest.breakdown : e.breakdown).map(([k, v]) => [k + '_mib', v]));
      out(
        JSON.stringify({ model: model.id, params: e.params, method: e.method, gpu: gpu.id, gpu_capabilities_known: !unknownCaps, available_mib: e.available_mib, total_mib: multi ? busiest.total_mib : e.total_mib, breakdown, verdict, max_seq_len: maxSeq, advice: advice.map(a => a.text), advice_codes: advice.map(a => a.code), settings, recipe: e.recipe, loading: { ...e.loading, warnings: e.loading.warnings.map(w => w.text), warning_codes: e.loading.warnings.map(w => w.code) }, ...spreadJson(choice) }) + '\n'
      );
      return 0;
    }
    const lines: string[] = [];
    const r = e.recipe;
    const stated = Object.entries(recipe).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
    if (r.weights !== null && recipe.weights === undefined) stated.push(`weights ${r.weights} (from the config's quantization_config)`);
    if (wanted.optimizer) stated.unshift(`optimizer ${wanted.optimizer}`);
    const preamble: string[] = [];
    if (stated.length > 0) preamble.push(`Your recipe: ${stated.join(' · ')}; the rest as our cells do it.`);
    if (unknownCaps) preamble.push(`Capabilities unknown: a GPU given by its size alone may or may not have bf16, bitsandbytes 4-bit or FlashAttention; priced as fp16 compute. Give a profile (\`model-advisor gpus\`) or --report to know.`);
    if (multi) {
      const [head, ...rest] = spreadLines(model, gpu, settings, e, choice);
      lines.push(head, ...preamble, ...rest);
    } else {
      lines.push(`${model.id} (${n(e.params)} parameters) · ${e.method} · ${gpu.name}, ${n(e.available_mib)} MiB usable · ${n(settings.seqLen)} tokens × batch ${settings.batch}`, ...preamble, '');
      const rows = Object.entries(e.breakdown)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => [`  ${k.replace(/_/g, ' ')}`, `${n(v)} MiB`]);
      rows.push(['  total', `${n(e.total_mib)} MiB of ${n(e.available_mib)} → ${e.verdict === 'no' ? 'does not fit' : e.verdict}`]);
      lines.push(table(rows).trimEnd());
    }
    lines.push('', maxSeq === null ? `No sequence length fits at batch ${settings.batch}.` : `Longest sequence that fits at batch ${settings.batch}: ${n(maxSeq)} tokens.`);
    lines.push(`Loading: download ${e.loading.download_mib === null ? 'unknown' : gib(e.loading.download_mib)}, peak RAM ${gib(e.loading.peak_ram_mib)}, disk ${gib(e.loading.disk_mib)}.`);
    for (const w of e.loading.warnings) lines.push(`! ${w.text}`);
    if (choice.ram_short && choice.ram_short.cpu.available_mib !== null) {
      lines.push(`! ${strategyName(choice.ram_short.strategy, method)} needs ${gib(choice.ram_short.cpu.total_mib)} of RAM; this runtime has ${gib(choice.ram_short.cpu.available_mib)}.`);
    }
    if (advice.length) lines.push('', ...advice.map(a => `- ${a.text}`));
    out(lines.join('\n') + '\n');
    return 0;
  }
};

const recommendCommand: Command = {
  name: 'recommend',
  usage: 'recommend --gpu <profile|24GB|2xt4> --task <task> --language <zh|zh-Hant|en|…> [--method …] [--strategy auto|ddp|fsdp|…] [--report probe.json] [--limit N] [--json]',
  summary: 'catalog models ranked for a task, a language and a GPU, with reasons',
  run(argv, out) {
    const args = parseArgs(argv, ['json'], ['gpu', 'report', 'task', 'language', 'method', 'limit', 'strategy']);
    const gpu = resolveGpu(args);
    const task = required(oneOf<Task>(args, 'task', TASKS), `--task <${TASKS.join('|')}>`);
    const language = required(flagString(args, 'language'), '--language <zh|en|…>');
    if (!/^([a-z]{2}|zh-Han[st])$/.test(language)) throw new UsageError(`--language must be a two-letter code such as zh or en (or zh-Hant, zh-Hans), not ${JSON.stringify(language)}`);
    const method = oneOf(args, 'method', METHODS);
    const limit = flagInt(args, 'limit', 5);
    const strategy = resolveStrategy(args);
    if (strategy !== 'auto' && gpu.count <= 1) throw new UsageError(`--strategy ${strategy} spreads training over several GPUs; ${gpu.name} is one (give --gpu 2xt4, 8xh100-80gb, …)`);
    const recs = strategyError(() => recommendModels({ task, language, gpu, method, strategy, limit }));
    if (args.flags.has('json')) {
      out(
        JSON.stringify(
          recs.map(r => ({ model: r.model.id, method: r.method, params: r.params, total_mib: r.estimate.total_mib, verdict: r.spread.strategy === 'single' ? r.estimate.verdict : r.spread.verdict, settings: r.settings, score: r.score, reasons: r.reasons, strategy: r.spread.strategy, per_gpu_mib: r.spread.per_gpu.map(g => g.total_mib) }))
        ) + '\n'
      );
      return 0;
    }
    if (recs.length === 0) {
      out(`No catalog model for ${task} in ${language} fits ${gpu.name}${method ? ` with ${method}` : ''}.\n`);
      return 0;
    }
    out(
      recs
        .map((r, i) => {
          const size = r.spread.strategy === 'single' ? `about ${gib(r.estimate.total_mib)}` : `${r.spread.strategy}, about ${gib(r.spread.busiest_mib)} per GPU`;
          return `${i + 1}. ${r.model.id} — ${r.method}, ${n(r.settings.seqLen)} tokens × batch ${r.settings.batch}, ${size}\n   ${r.reasons.map(x => x.text).join('; ')}`;
        })
        .join('\n') + '\n'
    );
    return 0;
  }
};

/** A command that lists rows: all of them as JSON with --json, else a table. */
function listCommand(name: string, summary: string, json: () => unknown[], header: string[], rows: () => string[][]): Command {
  return {
    name,
    usage: `${name} [--json]`,
    summary,
    run(argv, out) {
      const args = parseArgs(argv, ['json']);
      out(args.flags.has('json') ? JSON.stringify(json()) + '\n' : table([header, ...rows()]));
      return 0;
    }
  };
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

const gpusCommand = listCommand(
  'gpus',
  'the GPU profiles --gpu accepts',
  () => [...GPU_PROFILES],
  ['id', 'name', 'memory (MiB)', 'capability', 'bf16', '4-bit', 'FA2'],
  () => GPU_PROFILES.map(p => [p.id, p.count > 1 ? `${p.count}× ${p.name}` : p.name, n(p.memory_mib), p.compute_capability ?? '-', yes(p.bf16), yes(p.bnb_4bit), yes(p.flash_attention_2)])
);

const modelsCommand = listCommand(
  'models',
  'the model catalog',
  () => MODELS.map(m => ({ ...m, params: countParameters(m.config).total })),
  ['id', 'params', 'tasks', 'languages', 'zh', 'licence', 'released'],
  () => MODELS.map(m => [m.id, (countParameters(m.config).total / 1e9).toFixed(2) + 'B', m.tasks.join(','), m.languages.join(','), '★'.repeat(m.chinese), m.license, m.released])
);

export const ESTIMATE_COMMANDS: Command[] = [paramsCommand, fitCommand, recommendCommand, gpusCommand, modelsCommand];
