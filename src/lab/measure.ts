import { Kernel } from '@jupyterlab/services';
import { renderSnippet } from '../core/codegen';
import { MEASURE_BUDGET_S, MeasureAnswer, MeasureRequest, parseMeasureAnswer } from '../ui/panel/measure';
import { runSilently } from './kernel';
import { throwawayCode } from './probe';

export { MEASURE_BUDGET_S };

/**
 * The code the sidebar sends for "Measure exactly": the measure_request snippet with the request
 * as a JSON string value, run like the probe (silent, throwaway globals, one JSON line on stdout).
 */
export function measureCode(request: MeasureRequest, budgetS = MEASURE_BUDGET_S): string {
  return throwawayCode(renderSnippet('measure_request', { REQUEST: JSON.stringify(request), BUDGET_S: budgetS }), '<model-advisor measure>');
}

/** The plan traced by this kernel. Never throws: a kernel that does not answer is a failure too. */
export async function measureInKernel(kernel: Kernel.IKernelConnection, request: MeasureRequest, budgetS = MEASURE_BUDGET_S): Promise<MeasureAnswer> {
  let run;
  try {
    run = await runSilently(kernel, measureCode(request, budgetS));
  } catch (e) {
    return { ok: false, code: 'unavailable', message: `the kernel did not answer: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (run.status !== 'ok') return { ok: false, code: 'failed', message: run.error ?? 'the kernel aborted the trace' };
  const lines = run.stdout.split('\n').filter(l => l.trim() !== '');
  try {
    return parseMeasureAnswer(JSON.parse(lines[lines.length - 1]));
  } catch {
    return parseMeasureAnswer(null);
  }
}
