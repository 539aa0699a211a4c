/**
 * `fit`: the memory a model needs on a GPU (or on each of several), term by term, and whether it
 * fits — the plan the cells would use (`planTraining`), or the user's own settings and recipe
 * through the same function.
 */
import { Command, OptionTable, ParsedArgs, UsageError, flagInt, flagString, parseOptions } from './args';
import { fetchHubAnswer } from './hub';
import { gib, n, table } from './format';
import { oneOf, required, resolveModel, resolveRuntime, resolveStrategy, untracedFamily, userError } from './resolve';
import { HubSource, idProblem, modelFromHub } from '../core/catalog';
import {
  ATTENTIONS,
  EstimateSettings,
  KnownPlan,
  KV_CACHE_DTYPES,
  LOSSES,
  Optimizer,
  parseLoraTargets,
  planMaxSeqLen,
  planTraining,
  PRE_QUANTIZED,
  pricedAttention,
  PRECISIONS,
  Recipe,
  strategiesAt,
  Placement,
  Strategy,
  StrategyEstimate,
  strategyName
} from '../core/memory';
import { GpuProfile, METHODS, ModelEntry, Task, TASKS, WeightDtype } from '../core/types';
import { DEFAULT_MAX_STEPS, modelForTask } from '../core/codegen';
import { linkName, planSpeed, platformOf, runSeconds, SessionWarning, sessionWarnings, SpeedEstimate } from '../core/speed';
import { formatDuration } from '../core/i18n';

const DTYPES: readonly WeightDtype[] = ['fp32', 'bf16', 'fp16', 'int8', 'nf4'];

/** The `fit` recipe flags, by the names scripts use, and the core's words for them. */
const OPTIMIZER_FLAGS: Record<string, Optimizer> = { adamw: 'adamw_torch', 'adamw-8bit': 'adamw_8bit', 'paged-adamw-8bit': 'paged_adamw_8bit', adafactor: 'adafactor', sgd: 'sgd' };
const HUB_SOURCES: readonly HubSource[] = ['hf', 'mirror', 'modelscope'];

/** Every option of `fit`: its help, and (parseOptions) the flags it accepts. */
const FIT_OPTIONS: OptionTable = [
  ['--gpu <profile|24GB|24GiB|2xt4|8xh100-80gb>', 'a GPU profile (`model-advisor gpus`) or a size; a size alone leaves bf16, 4-bit and FlashAttention unknown; <N>x before either: N such GPUs'],
  ['--strategy <auto|ddp|fsdp|zero2|zero3|device-map|fsdp-offload|zero2-offload|zero3-offload>', 'several GPUs: how they share the work (default auto: the first that fits, fastest first)'],
  ['--report <probe.json>', "the kernel probe's report: this machine's GPU, free memory and transformers version (with --gpu, used only when it describes that GPU)"],
  ['--method <inference|full|lora|qlora>', 'how the model is used'],
  ['--task <generation|chat|classification|ner|qa|translation|code>', "what the model is trained for: an encoder's ner and qa heads are priced as the cells load them (default: the model's first task)"],
  ['--hub', "fetch the model's config.json (and safetensors index or header) from the hub instead of the catalog"],
  ['--source <hf|mirror|modelscope>', 'where --hub fetches from (default: hf; mirror when HF_ENDPOINT is set)'],
  ['--endpoint <url>', 'the hub address for --hub (default: HF_ENDPOINT, else https://huggingface.co)'],
  ['--timeout <seconds>', 'how long --hub waits for each file (default 20)'],
  ['--dtype <fp32|bf16|fp16|int8|nf4>', 'the base weights for inference and LoRA (default: what the cells load)'],
  ['--seq-len <N>', 'tokens per sample (default 1,024, or the context length if shorter; shorter still when that does not fit, as the cells do)'],
  ['--batch <N>', 'samples per device per step (default: the largest of 8, 4, 2, 1 that fits, as the cells choose)'],
  ['--prompt-len <N>', 'inference: tokens of the prompt, the rest of --seq-len generated (default: all of it is prompt)'],
  ['--no-gradient-checkpointing', "keep every layer's activations (the cells checkpoint)"],
  ['--optimizer <adamw|adamw-8bit|paged-adamw-8bit|adafactor|sgd>', 'the optimizer (default: paged-adamw-8bit for QLoRA on CUDA, else adamw)'],
  ['--lora-r <N>', 'LoRA rank (default 16)'],
  ['--lora-alpha <N>', 'LoRA alpha (default 2 × rank; no effect on memory)'],
  ['--lora-targets <all-linear|attention|names>', 'the Linear layers LoRA adapts: all but the head (default), the attention projections, or module names as in the model, comma-separated (q_proj,v_proj)'],
  ['--kbit-prep', "peft's prepare_model_for_kbit_training was called: embeddings, head and norms upcast to fp32"],
  ['--attention <eager|sdpa|flash>', 'attn_implementation: eager keeps batch × heads × seq² scores (default sdpa)'],
  ['--loss <fused|standard|chunked>', "TRL's fused LM head, no logits built (default: what the cells train with), a plain Trainer's full fp32 logits, or a chunked, fused cross-entropy (Liger, Unsloth)"],
  ['--precision <amp|pure-bf16>', 'full fine-tuning: fp32 master weights under autocast (default) or everything in bf16'],
  ['--weights <gptq-int4|awq-int4|fp8>', "a pre-quantized base (read from the config's quantization_config when it has one)"],
  ['--kv-cache-dtype <fp16|bf16|fp8>', 'inference: the KV cache (default: the compute dtype)'],
  ['--transformers <version>', "inference: the runtime's transformers (before 4.45 the prompt's logits are all kept; default: --report's, else current)"],
  ['--json', 'the estimate as JSON'],
  ['--settings-only', "only the plan's settings as JSON, for any family, counted or not: what `python -m model_advisor measure` traces"]
];

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

/** The settings the user fixed with flags; the plan fills the rest as the cells do. */
function wantedFromFlags(args: ParsedArgs, reportVersion: string | null): { wanted: Partial<EstimateSettings>; recipe: Partial<Recipe> } {
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
  const recipe = recipeFromFlags(args, reportVersion);
  if (Object.keys(recipe).length > 0) wanted.recipe = recipe;
  return { wanted, recipe };
}

const suffixed = (terms: Record<string, number>) => Object.fromEntries(Object.entries(terms).map(([k, v]) => [k + '_mib', v]));

/** The per-GPU part of `fit --json`: one entry per GPU with its breakdown, the RAM, and every strategy at these settings. */
function spreadJson(plan: KnownPlan, tried: StrategyEstimate[]) {
  const e = plan.spread;
  return {
    strategy: e.strategy,
    engine: e.engine,
    gpus: e.gpus,
    processes: e.processes,
    per_gpu_mib: e.per_gpu.map(g => ({ gpu: g.index, total_mib: g.total_mib, breakdown: suffixed(g.breakdown) })),
    placement: e.placement,
    cpu_ram_mib: { total_mib: e.cpu.total_mib, breakdown: suffixed(e.cpu.breakdown), available_mib: e.cpu.available_mib },
    ram_verdict: e.ram_verdict,
    strategies: tried.map(t => ({ strategy: t.strategy, busiest_mib: t.busiest_mib, ram_mib: t.cpu.total_mib, verdict: t.verdict }))
  };
}

const PLACES: Record<Placement, string> = {
  every_gpu: 'every GPU',
  sharded: 'split over the GPUs',
  split_by_layer: 'split by layer',
  first_gpu: 'first GPU',
  last_gpu: 'last GPU',
  cpu_ram: 'CPU RAM'
};

const verdictWords = (v: string) => (v === 'no' ? 'does not fit' : v);

/** The speed part of `fit --json` (all GPUs together), with the first run of the cells' steps; null without figures for the card. */
function speedJson(speed: SpeedEstimate | null, warnings: SessionWarning[]) {
  if (speed === null) return null;
  if (speed.kind === 'inference') {
    return { prefill_tokens_per_second: speed.prefill_tokens_per_second, decode_tokens_per_second: speed.decode_tokens_per_second, peak_tflops: speed.peak_tflops, bandwidth_gbs: speed.bandwidth_gbs, peak_source: speed.peak_source };
  }
  return {
    tokens_per_second: speed.tokens_per_second,
    seconds_per_step: speed.seconds_per_step,
    tokens_per_step: speed.tokens_per_step,
    first_run: { steps: DEFAULT_MAX_STEPS, seconds: runSeconds(speed, DEFAULT_MAX_STEPS) },
    flops_per_token: speed.flops_per_token,
    step_seconds: speed.step,
    achieved_tflops_per_gpu: speed.achieved_tflops,
    peak_tflops: speed.peak_tflops,
    peak_source: speed.peak_source,
    interconnect: speed.interconnect === null ? null : { link: linkName(speed.interconnect), gb_per_second: speed.interconnect.gbs },
    session_warnings: warnings.map(w => w.text),
    session_warning_codes: warnings.map(w => w.code)
  };
}

/** The human output's time lines: tokens/s, a step, the cells' first run, the link assumed, the sessions. */
function speedLines(gpu: GpuProfile, speed: SpeedEstimate | null, warnings: SessionWarning[]): string[] {
  if (speed === null) return [`Time: no estimate (no published figures for ${gpu.name}).`];
  if (speed.kind === 'inference') {
    return [`Speed: reading the prompt about ${n(Math.round(speed.prefill_tokens_per_second))} tokens/s, generating about ${n(Math.round(speed.decode_tokens_per_second))} tokens/s.`];
  }
  const link = speed.interconnect === null ? '' : ` Between the GPUs: ${linkName(speed.interconnect)}, about ${speed.interconnect.gbs} GB/s assumed.`;
  return [
    `Time: about ${n(Math.round(speed.tokens_per_second))} tokens/s; a step of ${n(speed.tokens_per_step)} tokens about ${formatDuration('en', speed.seconds_per_step)}; the cells' first ${DEFAULT_MAX_STEPS} steps about ${formatDuration('en', runSeconds(speed, DEFAULT_MAX_STEPS))}.${link}`,
    ...warnings.map(w => `! ${w.text}`)
  ];
}

/** `fit` on several GPUs: each GPU's terms and where they live, the RAM, the other strategies. */
function spreadLines(plan: KnownPlan, tried: StrategyEstimate[]): string[] {
  const s = plan.spread;
  const lines: string[] = [];
  // Identical GPUs print once; a layer split shows each GPU.
  const same = s.per_gpu.every(g => JSON.stringify(g.breakdown) === JSON.stringify(s.per_gpu[0].breakdown));
  const shown = same ? [s.per_gpu[0]] : s.per_gpu;
  const terms = Object.keys(s.per_gpu[0].breakdown).filter(k => s.per_gpu.some(g => g.breakdown[k] > 0));
  const rows = [['  per GPU', ...shown.map(g => (same ? 'each GPU' : `GPU ${g.index}`)), 'where']];
  for (const k of terms) rows.push([`  ${k.replace(/_/g, ' ')}`, ...shown.map(g => `${n(g.breakdown[k])} MiB`), PLACES[s.placement[k]] ?? '']);
  rows.push(['  total', ...shown.map(g => `${n(g.total_mib)} MiB`), `of ${n(s.available_mib)} → ${verdictWords(s.gpu_verdict)}`]);
  lines.push(table(rows).trimEnd());
  const ram = Object.entries(s.cpu.breakdown).filter(([, v]) => v > 0).map(([k, v]) => `${k.replace(/_/g, ' ')} ${n(v)} MiB`).join(', ');
  const ramOf = s.cpu.available_mib === null ? '' : ` of ${n(s.cpu.available_mib)}${s.ram_verdict ? ` → ${verdictWords(s.ram_verdict)}` : ''}`;
  const unknown = s.cpu.available_mib === null && Object.keys(s.cpu.breakdown).length > 1 ? ' The RAM of this runtime is unknown: give --report (the probe) to judge it.' : '';
  lines.push('', `CPU RAM: ${n(s.cpu.total_mib)} MiB${ramOf} (${ram}).${unknown}`);
  lines.push('', 'At these settings:');
  for (const t of tried) {
    const ramNote = t.ram_verdict !== null || Object.keys(t.cpu.breakdown).length > 1 ? `, ${n(t.cpu.total_mib)} MiB RAM` : '';
    lines.push(`  ${t.strategy === s.strategy ? '*' : ' '} ${t.strategy.padEnd(14)} ${n(t.busiest_mib).padStart(8)} MiB on the busiest GPU${ramNote} → ${verdictWords(t.verdict)}`);
  }
  return lines;
}

/** The human output: the plan's settings, its terms (per GPU on several), the longest length, loading, advice. */
function fitText(model: ModelEntry, gpu: GpuProfile, plan: KnownPlan, tried: StrategyEstimate[], maxSeq: number | null, preamble: string[], time: string[]): string {
  const { settings, estimate: e } = plan;
  const multi = plan.strategy !== 'single';
  const lines: string[] = [];
  if (multi) {
    lines.push(
      `${model.id} (${n(e.params)} parameters) · ${settings.method} · ${gpu.count} × ${gpu.name}, ${n(plan.available_mib)} MiB usable each · ${n(settings.seqLen)} tokens × batch ${settings.batch} per GPU × accumulation ${settings.gradAccum}`,
      ...preamble,
      `Strategy: ${strategyName(plan.strategy, settings.method)} — ${plan.spread.engine}, ${plan.spread.processes} process${plan.spread.processes > 1 ? 'es' : ''}`,
      '',
      ...spreadLines(plan, tried)
    );
  } else {
    lines.push(`${model.id} (${n(e.params)} parameters) · ${e.method} · ${gpu.name}, ${n(plan.available_mib)} MiB usable · ${n(settings.seqLen)} tokens × batch ${settings.batch} × accumulation ${settings.gradAccum}`, ...preamble, '');
    const rows = Object.entries(plan.breakdown)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => [`  ${k.replace(/_/g, ' ')}`, `${n(v)} MiB`]);
    rows.push(['  total', `${n(plan.total_mib)} MiB of ${n(plan.available_mib)} → ${verdictWords(plan.verdict)}`]);
    lines.push(table(rows).trimEnd());
  }
  lines.push('', maxSeq === null ? `No sequence length fits at batch ${settings.batch}.` : `Longest sequence that fits at batch ${settings.batch}: ${n(maxSeq)} tokens.`);
  lines.push(`Loading: download ${e.loading.download_mib === null ? 'unknown' : gib(e.loading.download_mib)}, peak RAM ${gib(e.loading.peak_ram_mib)}, disk ${gib(e.loading.disk_mib)}.`);
  for (const w of e.loading.warnings) lines.push(`! ${w.text}`);
  lines.push(...time);
  if (plan.ram_short && plan.ram_short.cpu.available_mib !== null) {
    lines.push(`! ${strategyName(plan.ram_short.strategy, settings.method)} needs ${gib(plan.ram_short.cpu.total_mib)} of RAM; this runtime has ${gib(plan.ram_short.cpu.available_mib)}.`);
  }
  if (plan.advice.length) lines.push('', ...plan.advice.map(a => `- ${a.text}`));
  return lines.join('\n') + '\n';
}

export const fitCommand: Command = {
  name: 'fit',
  usage: 'fit <model-id | config.json> --gpu <profile|24GB|24GiB|2xt4|8xh100-80gb> --method <inference|full|lora|qlora> [--strategy …] [recipe options] [--hub] [--report probe.json] [--json]',
  summary: 'memory a model needs on a GPU (or on each of several), term by term, and whether it fits — at the settings the cells would use, or at yours',
  options: FIT_OPTIONS,
  async run(argv, out) {
    const args = parseOptions(argv, FIT_OPTIONS);
    const spec = required(args.positional[0], 'a model id or config.json path');
    const named = args.flags.has('hub') ? await hubModel(args, spec) : resolveModel(spec).model;
    const model = modelForTask(named, oneOf<Task>(args, 'task', TASKS));
    const { gpu, report } = resolveRuntime(args);
    const method = required(oneOf(args, 'method', METHODS), `--method <${METHODS.join('|')}>`);
    const asked: Strategy | 'auto' = resolveStrategy(args);
    const { wanted, recipe } = wantedFromFlags(args, report?.packages.transformers ?? null);
    // The plan the cells would use; what the user fixed (--batch, --seq-len, …) stays fixed.
    const plan = userError(() => planTraining(model, gpu, method, wanted, asked));
    if (args.flags.has('settings-only')) {
      // The tracer's input for a family the counter does not know too (the conservative plan the cells follow then).
      const attention = plan.known ? plan.estimate.recipe.attention : pricedAttention(model);
      out(JSON.stringify({ model: model.id, gpu: gpu.id, known: plan.known, strategy: plan.strategy, settings: plan.settings, recipe: { attention } }) + '\n');
      return 0;
    }
    if (!plan.known) throw new UsageError(untracedFamily(plan.reason));
    const tried = plan.strategy === 'single' ? [plan.spread] : userError(() => strategiesAt(model, gpu, plan, asked));
    const maxSeq = planMaxSeqLen(model, gpu, plan);
    const e = plan.estimate;
    const unknownCaps = gpu.backend === 'cuda' && gpu.compute_capability === null;
    const speed = planSpeed(model, gpu, plan);
    const warnings = speed?.kind === 'training' ? sessionWarnings(platformOf(gpu, report?.platform), runSeconds(speed, DEFAULT_MAX_STEPS), null, DEFAULT_MAX_STEPS, speed.seconds_per_step) : [];
    if (args.flags.has('json')) {
      const body = {
        model: model.id,
        params: e.params,
        method: e.method,
        gpu: gpu.id,
        gpu_capabilities_known: !unknownCaps,
        available_mib: plan.available_mib,
        total_mib: plan.total_mib,
        breakdown: suffixed(plan.breakdown),
        verdict: plan.verdict,
        max_seq_len: maxSeq,
        advice: plan.advice.map(a => a.text),
        advice_codes: plan.advice.map(a => a.code),
        settings: plan.settings,
        recipe: e.recipe,
        loading: { ...e.loading, warnings: e.loading.warnings.map(w => w.text), warning_codes: e.loading.warnings.map(w => w.code) },
        ...spreadJson(plan, tried),
        speed: speedJson(speed, warnings)
      };
      out(JSON.stringify(body) + '\n');
      return 0;
    }
    const r = e.recipe;
    const stated = Object.entries(recipe).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
    if (r.weights !== null && recipe.weights === undefined) stated.push(`weights ${r.weights} (from the config's quantization_config)`);
    if (wanted.optimizer) stated.unshift(`optimizer ${wanted.optimizer}`);
    const preamble: string[] = [];
    if (stated.length > 0) preamble.push(`Your recipe: ${stated.join(' · ')}; the rest as our cells do it.`);
    if (wanted.seqLen === undefined && plan.settings.seqLen < Math.min(1024, model.context_length || 1024)) {
      preamble.push(`Shortened to ${n(plan.settings.seqLen)} tokens: the cells' default length does not fit (give --seq-len to fix one).`);
    }
    if (unknownCaps) preamble.push(`Capabilities unknown: a GPU given by its size alone may or may not have bf16, bitsandbytes 4-bit or FlashAttention; priced as fp16 compute. Give a profile (\`model-advisor gpus\`) or --report to know.`);
    out(fitText(model, gpu, plan, tried, maxSeq, preamble, speedLines(gpu, speed, warnings)));
    return 0;
  }
};
