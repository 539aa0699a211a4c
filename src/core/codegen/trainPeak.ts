/**
 * How every training cell ends (python_snippets/train_peak.py): the measured peak beside the
 * plan's, the measured tokens/s beside the plan's speed, and both left in a small JSON record
 * in the output folder (`RUN_RECORD_FILE`), which the panel reads back (src/core/runs).
 */
import { Language, t } from '../i18n';
import { Plan } from '../memory';
import { planSpeed } from '../speed';
import { PythonValue } from './literal';
import { renderSnippet } from './render';
import { CellRequest } from './request';
import { ADVISOR_VERSION } from './snippets.generated';

/** A str.format field kept as it is through `t` (the cell fills it when it runs). */
const FIELD = (name: string) => `{${name}}`;

/** Text that goes into a str.format template as plain text: its braces doubled. */
const plain = (text: string) => text.replace(/[{}]/g, c => c + c);

/**
 * The plan's tokens/s for the GPU the cells are for — on the simulation too (the record keeps
 * what the GPU would do beside what the CPU did); null on a CPU recipe or without figures.
 */
function estimatedTokensPerSecond(request: CellRequest, plan: Plan): number | null {
  if (request.gpu.backend !== 'cuda') return null;
  const speed = planSpeed(request.model, request.gpu, plan);
  return speed !== null && speed.kind === 'training' ? Math.round(speed.tokens_per_second) : null;
}

export interface TrainPeakInput {
  request: CellRequest;
  plan: Plan;
  lang: Language;
  /** --simulate-on-cpu: the GPU's recipe on this CPU. */
  simulate: boolean;
  /** The run's optimizer steps (max_steps). */
  steps: number;
  /** The plan's figure without the CUDA context (what max_memory_reserved() is compared with); null: no estimate. */
  tensorMib: number | null;
  /** device_map="auto" over several GPUs: each GPU's share, in device order. */
  perGpuMib: number[] | null;
}

/** The train_peak snippet for one request, in the user's language. */
export function renderTrainPeak(input: TrainPeakInput): string {
  const { request, plan, lang, simulate } = input;
  const s = plan.settings;
  const estimated = estimatedTokensPerSecond(request, plan);
  const fields = { measured: FIELD('measured'), estimated: FIELD('estimated') };
  const gpu = plain(request.gpu.name);
  const values: Record<string, PythonValue> = {
    ESTIMATE_MIB: input.tensorMib,
    ESTIMATED_TOKENS_PER_SECOND: estimated,
    TOKENS_PER_STEP: s.batch * s.gradAccum * s.seqLen * Math.max(1, plan.known ? plan.spread.processes : 1),
    SPEED_MESSAGE: t(lang, estimated === null ? 'train.speed.noestimate' : 'train.speed', fields),
    CPU_SPEED_MESSAGE: estimated === null ? t(lang, 'train.speed.cpu.noestimate', fields) : t(lang, 'train.speed.cpu', { ...fields, gpu }),
    SHORT_STEPS_MESSAGE: t(lang, 'train.speed.short', { measured: FIELD('measured'), planned: FIELD('planned') }),
    RECORD_MESSAGE: t(lang, 'train.record', { path: FIELD('path') }),
    ADVISOR_VERSION,
    MODEL_ID: request.model.id,
    METHOD: request.method,
    PLANNED_GPU: request.gpu.name,
    SIMULATED: simulate,
    RUN_SETTINGS: { batch: s.batch, grad_accum: s.gradAccum, seq_len: s.seqLen, max_steps: input.steps, gradient_checkpointing: s.gradientCheckpointing, dtype: s.dtype }
  };
  if (input.perGpuMib !== null) values.PER_GPU_MIB = input.perGpuMib;
  return renderSnippet('train_peak', values, { SIMULATE: simulate, PER_GPU: input.perGpuMib !== null }, lang);
}
