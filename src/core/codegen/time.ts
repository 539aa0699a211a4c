/**
 * How long the training cells take, in their markdown: the plan's time (src/core/speed) for the
 * first run, what the runtime's sessions allow, and on several GPUs the speed of the launched
 * script. Nothing where there is no estimate or the cells run on a CPU.
 */
import { formatDuration, Language, t } from '../i18n';
import { Plan } from '../memory';
import { linkName, planSpeed, platformOf, runSeconds, sessionWarnings, sessionWarningText, TrainingSpeed } from '../speed';
import { CellRequest } from './request';

/** The optimizer steps of a first run (cells.ts says why 60). */
export const DEFAULT_MAX_STEPS = 60;

/** The plan's training speed on a CUDA GPU; null on a CPU, in a simulation, or without an estimate. */
export function trainingSpeed(request: CellRequest, plan: Plan, simulate: boolean): TrainingSpeed | null {
  const speed = simulate || request.gpu.backend !== 'cuda' ? null : planSpeed(request.model, request.gpu, plan);
  return speed !== null && speed.kind === 'training' ? speed : null;
}

/** A paragraph for the train cell's markdown (with its leading blank line), or ''. */
export function trainTime(request: CellRequest, plan: Plan, lang: Language, simulate: boolean): string {
  const speed = trainingSpeed(request, plan, simulate);
  if (speed === null) return '';
  const steps = request.maxSteps ?? DEFAULT_MAX_STEPS;
  const seconds = runSeconds(speed, steps);
  let text = '\n\n' + t(lang, 'cells.train.speed', { time: formatDuration(lang, seconds), steps: steps.toLocaleString('en-US'), tokens: Math.round(speed.tokens_per_second).toLocaleString('en-US') });
  // Chinese sentences follow each other without a space.
  for (const w of sessionWarnings(platformOf(request.gpu), seconds, null, steps, speed.seconds_per_step)) text += (lang === 'en' ? ' ' : '') + sessionWarningText(lang, w);
  return text;
}

/**
 * A paragraph for the launch cells' markdown: the speed over every GPU, the link assumed and the
 * first run's time (`steps`, the script's max_steps), or ''.
 */
export function launchTime(request: CellRequest, plan: Plan, lang: Language, simulate: boolean, steps: number): string {
  const speed = trainingSpeed(request, plan, simulate);
  if (speed === null || speed.interconnect === null) return '';
  return (
    '\n\n' +
    t(lang, 'cells.launch.speed', {
      steps: steps.toLocaleString('en-US'),
      time: formatDuration(lang, runSeconds(speed, steps)),
      tokens: Math.round(speed.tokens_per_second).toLocaleString('en-US'),
      gpus: speed.processes,
      step_tokens: speed.tokens_per_step.toLocaleString('en-US'),
      step: formatDuration(lang, speed.seconds_per_step),
      link: linkName(speed.interconnect),
      gbs: speed.interconnect.gbs
    })
  );
}
