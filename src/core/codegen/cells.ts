/**
 * `renderCells`: the notebook cells for one model, runtime and method — a title, then for each
 * step a markdown cell explaining it and the step's code. What the cells are is decided once
 * (decisions.ts `decide`); each step's cells come from its record (steps.ts), filled from
 * python_snippets/ by `renderSnippet`.
 */
import { t, MessageKey } from '../i18n';
import { markdownValue } from './formats';
import { Cell, CellRequest, CellRequestError } from './request';
import { decide } from './decisions';
import { stepCells } from './steps';

export { STEPS, defaultSteps, parseSteps, planOf } from './decisions';
export type { Step } from './decisions';
/** The first run's length (60 steps, codegen/time.ts) and its checkpoints (SAVE_STEPS, codegen/plan.ts). */
export { DEFAULT_MAX_STEPS } from './time';

/** The cells for a request: a title, then for each step its markdown and its code. */
export function renderCells(request: CellRequest): Cell[] {
  if (request.maxSteps !== undefined && !(Number.isInteger(request.maxSteps) && request.maxSteps >= 1)) {
    throw new CellRequestError(`max steps must be a whole number ≥ 1, not ${request.maxSteps}`);
  }
  if (request.maxNewTokens !== undefined && !(Number.isInteger(request.maxNewTokens) && request.maxNewTokens >= 1)) {
    throw new CellRequestError(`max new tokens must be a whole number ≥ 1, not ${request.maxNewTokens}`);
  }
  if (request.numLabels !== undefined && !(Number.isInteger(request.numLabels) && request.numLabels >= 2)) {
    throw new CellRequestError(`the number of labels must be a whole number ≥ 2, not ${request.numLabels}`);
  }
  for (const [what, v] of [['model path', request.modelPath], ['dataset', request.dataset], ['save folder', request.saveDir], ['cache folder', request.cacheDir]] as const) {
    if (v !== undefined && v.trim() === '') throw new CellRequestError(`the ${what} is empty`);
  }
  const d = decide(request);
  let title = t(d.lang, 'cells.title', {
    model: markdownValue(request.modelPath ?? request.model.id),
    gpu: markdownValue(request.gpu.name),
    method: t(d.lang, `cells.method.${request.method}` as MessageKey)
  });
  if (d.simulate) title += '\n\n' + t(d.lang, 'cells.simulate', { gpu: markdownValue(request.gpu.name), compute: d.mixed });
  return [{ cell_type: 'markdown', source: title, step: 'title' }, ...d.steps.flatMap(step => stepCells(step, request, d))];
}
