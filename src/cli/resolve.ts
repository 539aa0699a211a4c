/**
 * One resolver per flag that several commands take: the model, the runtime (--gpu, --report),
 * the strategy, a choice among words. Each turns what the user typed into the core's value or
 * a one-line UsageError; no command reads these flags itself.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ParsedArgs, UsageError, flagString } from './args';
import { findModel, modelFromConfig } from '../core/catalog';
import { findGpu, gpuFromReport } from '../core/gpu';
import { MULTI_GPU_STRATEGIES, RecipeError, Strategy } from '../core/memory';
import { UnknownFamilyError } from '../core/params';
import { GpuReport, parseGpuReport } from '../core/report';
import { GpuProfile, ModelEntry } from '../core/types';

/** A flag whose value must be one of `allowed`; `fallback` when it is absent. */
export function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required`);
  return value;
}

export function readJson(file: string): unknown {
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

/**
 * A catalog id, a local folder holding config.json, or a config.json file. A folder is also
 * where the cells load the weights from (`modelPath`); a config.json alone describes a model
 * that still loads by its folder.
 */
export function resolveModel(spec: string): { model: ModelEntry; modelPath?: string } {
  const folder = existsSync(spec) && statSync(spec).isDirectory();
  const file = folder ? join(spec, 'config.json') : spec;
  if (folder && !existsSync(file)) throw new UsageError(`${spec} is a folder without a config.json`);
  if (existsSync(file)) return { model: modelFromConfigFile(file), ...(folder ? { modelPath: resolve(spec) } : {}) };
  const model = findModel(spec);
  if (!model) throw new UsageError(`unknown model ${JSON.stringify(spec)}: not in the catalog and not a config.json path or a folder holding one (\`model-advisor models\` lists the catalog)`);
  return { model };
}

/**
 * A config.json read as every command reads one: parsed, checked, and completed with its
 * family's defaults (`modelFromConfig`), the row named by its folder.
 */
export function modelFromConfigFile(file: string): ModelEntry {
  const config = readJson(file);
  try {
    return modelFromConfig(config, resolve(dirname(file)));
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

function readReport(file: string): GpuReport {
  const parsed = parseGpuReport(readJson(file));
  if (!parsed.ok) throw new UsageError(`the probe report ${file} is not usable: ${parsed.error}`);
  return parsed.report;
}

/**
 * The GPU a command plans for, and the probe report that describes it. --report alone: the
 * machine it was taken on. --gpu alone: that profile (or size), all of it free. Both: the GPU
 * named by --gpu; the report is kept only when it describes that GPU (the same profile and
 * count: its free memory, RAM, disk and packages are then the target's), as the panel keeps the
 * runtime's report only when it plans for the runtime's own GPU. A report of another machine
 * says nothing of the one the cells will run on.
 */
export function resolveRuntime(args: ParsedArgs): { gpu: GpuProfile; report?: GpuReport } {
  const reportFile = flagString(args, 'report');
  const report = reportFile === undefined ? undefined : readReport(reportFile);
  const spec = flagString(args, 'gpu');
  if (spec === undefined) {
    if (report === undefined) throw new UsageError('--gpu <profile-id | 24GB | 24GiB | 2xt4> is required (a profile such as t4, a100-40gb, cpu), or --report <probe.json>');
    return { gpu: gpuFromReport(report), report };
  }
  let target: GpuProfile;
  try {
    target = findGpu(spec);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (report === undefined) return { gpu: target };
  const here = gpuFromReport(report);
  return here.id === target.id && here.count === target.count ? { gpu: here, report } : { gpu: target };
}

/** `--strategy`: how several GPUs share the work (src/core/memory/strategies.ts); `auto` picks. */
export const STRATEGY_CHOICES: ReadonlyArray<Strategy | 'auto'> = ['auto', ...MULTI_GPU_STRATEGIES];

/** --strategy, checked against the words we know; the GPUs and method are checked by the core. */
export function resolveStrategy(args: ParsedArgs): Strategy | 'auto' {
  return oneOf(args, 'strategy', STRATEGY_CHOICES, 'auto') as Strategy | 'auto';
}

/** The refusal for a family the counter does not know, pointing to the tracer, which builds any family the installed transformers knows. */
export function untracedFamily(message: string): string {
  return `${message} (python -m model_advisor measure MODEL --gpu … --method … traces it with the installed transformers)`;
}

/**
 * Core errors a user caused become one-line usage errors: a strategy these GPUs or settings
 * cannot use, an unknown family, a recipe the model cannot take, a broken config.
 */
export function userError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof UnknownFamilyError) throw new UsageError(untracedFamily(e.message));
    if (e instanceof RecipeError) throw new UsageError(e.message);
    if (e instanceof Error && (/the [\w-]+ strategy /.test(e.message) || /config\.json lacks/.test(e.message))) throw new UsageError(e.message);
    throw e;
  }
}
