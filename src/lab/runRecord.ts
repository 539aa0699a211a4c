import { Kernel } from '@jupyterlab/services';
import { renderSnippet } from '../core/codegen';
import { runSilently } from './kernel';
import { throwawayCode } from './probe';

/**
 * The code the sidebar sends to read the train cell's run record: the run_record snippet with the
 * folder as a Python literal, run like the probe (silent, throwaway globals, one JSON line).
 */
export function runRecordCode(folder: string): string {
  return throwawayCode(renderSnippet('run_record', { FOLDER: folder }), '<model-advisor run record>');
}

/** The reader's answer for `folder` (relative to the kernel's working folder, the notebook's), or null when the kernel did not answer. Never throws. */
export async function readRunRecord(kernel: Kernel.IKernelConnection, folder: string): Promise<unknown> {
  try {
    const run = await runSilently(kernel, runRecordCode(folder));
    if (run.status !== 'ok') return null;
    const lines = run.stdout.split('\n').filter(l => l.trim() !== '');
    return lines.length === 0 ? null : (JSON.parse(lines[lines.length - 1]) as unknown);
  } catch {
    return null;
  }
}
