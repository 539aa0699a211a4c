/**
 * `cells` and `notebook`: the generated cells from a terminal — as a percent-format script on
 * stdout, or as an .ipynb file a user can upload to Colab as it is.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, ParsedArgs, UsageError, flagInt, flagString, parseArgs } from './args';
import { resolveStrategy } from './estimate';
import { findModel, modelFromConfig } from '../core/catalog';
import { findGpu, gpuFromReport } from '../core/gpu';
import { parseGpuReport, GpuReport } from '../core/report';
import { CellRequest, CellRequestError, renderCells, toNotebook, toPercentScript, Cell } from '../core/codegen';
import { LANGUAGES, Language } from '../core/i18n';
import { METHODS, Method, TASKS, Task, ModelEntry } from '../core/types';

const OPTIONS =
  '--gpu <profile|size> --method <inference|lora|qlora|full> [--task …] [--dataset <id|file>] [--source hf|modelscope|mirror] [--max-steps N] [--steps a,b,…] [--lang en|zh-Hans|zh-Hant] [--report probe.json] [--prompt …] [--labels N] [--save-dir …] [--cache-dir …] [--data-lang en|zh] [--max-new-tokens N] [--seq-len N] [--batch N] [--grad-accum N] [--simulate-on-cpu]';

/** Switches (flags without a value) of both commands. */
export const CELL_SWITCHES = ['simulate-on-cpu'] as const;

/** The flags of both commands that take a value (cellRequestFromArgs reads each; `notebook` adds --output). */
export const CELL_FLAGS = ['gpu', 'report', 'method', 'task', 'steps', 'max-steps', 'max-new-tokens', 'seq-len', 'batch', 'grad-accum', 'labels', 'dataset', 'source', 'lang', 'prompt', 'save-dir', 'cache-dir', 'data-lang', 'strategy'] as const;

function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}

/** A catalog id, or a local folder whose config.json describes the model (loaded from that folder). */
function resolveModel(spec: string): { model: ModelEntry; modelPath?: string } {
  const configPath = join(spec, 'config.json');
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    if (!existsSync(configPath)) throw new UsageError(`${spec} is a folder without a config.json`);
    const dir = resolve(spec);
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (e) {
      throw new UsageError(`${configPath} is not valid JSON: ${(e as Error).message}`);
    }
    try {
      return { model: modelFromConfig(config, dir), modelPath: dir };
    } catch (e) {
      throw new UsageError(`${configPath}: ${(e as Error).message}`);
    }
  }
  const model = findModel(spec);
  if (!model) throw new UsageError(`unknown model ${JSON.stringify(spec)}: give a catalog id (see the recommend command) or a local folder holding config.json`);
  return { model };
}

function readReport(path: string): GpuReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the probe report ${path}: ${(e as Error).message}`);
  }
  const parsed = parseGpuReport(text);
  if (!parsed.ok) throw new UsageError(`the probe report ${path} is not usable: ${parsed.error}`);
  return parsed.report;
}

/** The request both commands build from the same flags. */
export function cellRequestFromArgs(args: ParsedArgs): CellRequest {
  const [spec, ...extra] = args.positional;
  if (spec === undefined) throw new UsageError('give a model id or a local folder holding config.json');
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const { model, modelPath } = resolveModel(spec);
  const reportPath = flagString(args, 'report');
  const report = reportPath === undefined ? undefined : readReport(reportPath);
  const gpuSpec = flagString(args, 'gpu');
  if (gpuSpec === undefined && report === undefined) throw new UsageError('--gpu is required (a profile such as t4, a100-40gb, cpu, or a size such as 24GB), or --report <probe.json>');
  let gpu;
  try {
    gpu = gpuSpec !== undefined ? findGpu(gpuSpec) : gpuFromReport(report as GpuReport);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const steps = flagString(args, 'steps');
  const maxSteps = flagString(args, 'max-steps') === undefined ? undefined : flagInt(args, 'max-steps', 1);
  const maxNewTokens = flagString(args, 'max-new-tokens') === undefined ? undefined : flagInt(args, 'max-new-tokens', 1);
  // The training settings the estimate would otherwise choose (bench/gpu/run.py pins them).
  const settings: CellRequest['settings'] = {};
  for (const [flag, key] of [['seq-len', 'seqLen'], ['batch', 'batch'], ['grad-accum', 'gradAccum']] as const) {
    if (flagString(args, flag) !== undefined) settings[key] = flagInt(args, flag, 1);
  }
  const labels = flagString(args, 'labels') === undefined ? undefined : flagInt(args, 'labels', 2, 2);
  return {
    model,
    modelPath,
    gpu,
    method: oneOf<Method>(args, 'method', METHODS, 'qlora') as Method,
    task: oneOf<Task>(args, 'task', TASKS),
    steps: steps === undefined ? undefined : steps.split(',').map(s => s.trim()).filter(Boolean),
    dataset: flagString(args, 'dataset'),
    source: oneOf(args, 'source', ['hf', 'modelscope', 'mirror'] as const),
    maxSteps,
    maxNewTokens,
    settings,
    report,
    language: oneOf<Language>(args, 'lang', LANGUAGES, 'en'),
    prompt: flagString(args, 'prompt'),
    numLabels: labels,
    saveDir: flagString(args, 'save-dir'),
    cacheDir: flagString(args, 'cache-dir'),
    dataLanguage: oneOf(args, 'data-lang', ['en', 'zh'] as const),
    // The GPU's recipe with the model on this CPU ("try the Colab recipe on my laptop first").
    simulateOnCpu: args.flags.get('simulate-on-cpu') === true,
    strategy: resolveStrategy(args) // several GPUs: --strategy auto|ddp|fsdp|zero2|zero3|…
  };
}

function render(request: CellRequest): Cell[] {
  try {
    return renderCells(request);
  } catch (e) {
    if (e instanceof CellRequestError) throw new UsageError(e.message);
    throw e;
  }
}

export const cellsCommand: Command = {
  name: 'cells',
  usage: 'cells <model-id|local-dir> --gpu … --method …',
  summary: `print the notebook cells as a runnable percent-format script (# %%); options: ${OPTIONS}`,
  run(argv, out) {
    const request = cellRequestFromArgs(parseArgs(argv, CELL_SWITCHES, CELL_FLAGS));
    out(toPercentScript(render(request)));
    return 0;
  }
};

export const notebookCommand: Command = {
  name: 'notebook',
  usage: 'notebook <model-id|local-dir> --gpu … --method … -o file.ipynb',
  summary: 'write the same cells as a Jupyter notebook (nbformat 4, options as for cells)',
  run(argv, out) {
    const args = parseArgs(argv.map(a => (a === '-o' ? '--output' : a)), CELL_SWITCHES, [...CELL_FLAGS, 'output']);
    const output = flagString(args, 'output');
    if (output === undefined) throw new UsageError('notebook needs -o <file.ipynb>');
    const request = cellRequestFromArgs(args);
    const cells = render(request);
    // A simulation runs on the CPU: it asks Colab for no GPU.
    const notebook = toNotebook(cells, { gpu: request.gpu.backend === 'cuda' && !request.simulateOnCpu });
    try {
      writeFileSync(output, JSON.stringify(notebook, null, 1) + '\n');
    } catch (e) {
      throw new UsageError(`cannot write ${output}: ${(e as Error).message}`);
    }
    out(`Wrote ${output}: ${cells.filter(c => c.cell_type === 'code').length} code cells (${cells.filter(c => c.step !== 'title' && c.cell_type === 'code').map(c => c.step).join(', ')})\n`);
    return 0;
  }
};

/** Registered in src/cli/index.ts. */
export const CELL_COMMANDS: Command[] = [cellsCommand, notebookCommand];
