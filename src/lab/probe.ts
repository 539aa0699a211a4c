import { Kernel } from '@jupyterlab/services';
import { SNIPPETS, pythonLiteral } from '../core/codegen';
import { parseGpuReport, GpuReport } from '../core/report';
import { runSilently } from './kernel';

export type ProbeResult = { ok: true; report: GpuReport } | { ok: false; error: string };

/**
 * The advisor's own Python (the probe, the Hub config fetch) runs in a throwaway globals dict,
 * so not one name reaches the user's namespace; it prints its answer as the last line of stdout.
 */
export function throwawayCode(source: string, label: string): string {
  return `exec(compile(${pythonLiteral(source)}, ${pythonLiteral(label)}, "exec"), {"__name__": "__main__"})`;
}

export function probeCode(): string {
  return throwawayCode(SNIPPETS['gpu_probe'], '<model-advisor probe>');
}

/** Ask the kernel what runtime it has. A failure is a result that says why, never a throw. */
export async function probeKernel(kernel: Kernel.IKernelConnection): Promise<ProbeResult> {
  let run;
  try {
    run = await runSilently(kernel, probeCode());
  } catch (e) {
    return { ok: false, error: `the kernel did not answer: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (run.status !== 'ok') {
    return { ok: false, error: run.error ?? 'the kernel aborted the probe' };
  }
  const lines = run.stdout.split('\n').filter(l => l.trim() !== '');
  if (lines.length === 0) {
    return { ok: false, error: 'the probe printed nothing' };
  }
  return parseGpuReport(lines[lines.length - 1]);
}
