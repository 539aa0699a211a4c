/**
 * The code generator: the cells a learner runs, rendered from python_snippets/ for one model,
 * runtime and method. Offers
 * - `renderCells(request)` — the cells (markdown + code) the sidebar inserts and the CLI prints;
 * - `toPercentScript(cells)`, `toNotebook(cells)` — the two file forms;
 * - `pythonLiteral` — the one way a value becomes Python source; `renderSnippet` — one template;
 * - `markdownValue` — the one way a user's value enters a markdown cell;
 * - `planOf(request)` — the plan the cells follow (the request's own, else `planTraining`).
 */
export { pythonLiteral, pythonCode } from './literal';
export type { PythonValue, PythonCode } from './literal';
export { renderSnippet, selectBlocks } from './render';
export { SNIPPETS } from './snippets.generated';
export { renderCells, defaultSteps, parseSteps, STEPS, DEFAULT_MAX_STEPS } from './cells';
export { launchCells, ACCELERATE_FILE, DEEPSPEED_FILE, SCRIPT_FILE } from './launch';
export { planOf } from './cells';
export type { Step } from './cells';
export { toPercentScript, toNotebook, markdownValue } from './formats';
export type { Notebook, NotebookCell } from './formats';
export { CellRequestError } from './request';
export { modelForTask } from './tasks';
export { remoteTrainingProblem } from './remote';
export { remoteStackFor, REMOTE_STACKS } from './remoteStack';
export type { RemoteStack, RemoteStackId } from './remoteStack';
export type { Cell, CellRequest, RuntimeFacts, WeightSource } from './request';
export type { EstimateSettings, Head } from './plan';
