import { Kernel } from '@jupyterlab/services';
import { HubAnswer, HubResult, HubSource, idProblem, modelFromHub } from '../core/catalog';
import { renderSnippet } from '../core/codegen';
import { runSilently } from './kernel';
import { throwawayCode } from './probe';

/** Seconds the kernel waits for each file before it says the hub did not answer. */
export const HUB_TIMEOUT_S = 20;

/**
 * The code the sidebar sends to fetch a Hub id's config.json through the kernel: the
 * hub_config snippet with its values as Python literals, run like the probe (silent,
 * throwaway globals, one JSON line on stdout).
 */
export function hubFetchCode(id: string, source: HubSource, endpoint: string | null = null, timeoutS = HUB_TIMEOUT_S): string {
  return throwawayCode(renderSnippet('hub_config', { MODEL_ID: id, SOURCE: source, ENDPOINT: endpoint, TIMEOUT_S: timeoutS }), '<model-advisor hub>');
}

/**
 * Any Hub id → a model the estimate can price, or the failure a user reads (gated, missing,
 * offline, timeout, remote code). Never throws: a kernel that does not answer is a failure too.
 */
export async function fetchHubModel(kernel: Kernel.IKernelConnection, id: string, source: HubSource, endpoint: string | null = null): Promise<HubResult> {
  const problem = idProblem(id.trim());
  if (problem !== null || id.trim().startsWith('.') || id.trim().startsWith('/') || id.trim().startsWith('~')) {
    return { ok: false, code: 'bad_id', message: problem ?? `"${id}" is a local path; give a Hub id such as "Qwen/Qwen2.5-7B-Instruct"` };
  }
  let run;
  try {
    run = await runSilently(kernel, hubFetchCode(id.trim(), source, endpoint));
  } catch (e) {
    return { ok: false, code: 'offline', message: `the kernel did not answer: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (run.status !== 'ok') return { ok: false, code: 'offline', message: run.error ?? 'the kernel aborted the fetch' };
  const lines = run.stdout.split('\n').filter(l => l.trim() !== '');
  try {
    return modelFromHub(JSON.parse(lines[lines.length - 1]) as HubAnswer);
  } catch {
    return { ok: false, code: 'offline', message: 'the kernel printed no answer for the Hub fetch' };
  }
}
