import { Kernel, KernelMessage } from '@jupyterlab/services';

/** What a silent run in the kernel left behind. */
export interface SilentRun {
  status: 'ok' | 'error' | 'aborted';
  stdout: string;
  error?: string; // "NameError: …" when status is "error"
}

/**
 * The one way the advisor runs code in a user's kernel: silently, so it adds nothing to
 * the notebook — no output, no history entry, no change to the execution counter
 * (ipykernel: `silent=True` skips both, see IPython `run_cell`). The code's stdout still
 * reaches us on IOPub, tagged with this request's id, so the notebook never shows it.
 */
export async function runSilently(kernel: Kernel.IKernelConnection, code: string): Promise<SilentRun> {
  const future = kernel.requestExecute(
    { code, silent: true, store_history: false, allow_stdin: false, stop_on_error: false },
    true
  );
  let stdout = '';
  future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
    if (KernelMessage.isStreamMsg(msg) && msg.content.name === 'stdout') {
      stdout += msg.content.text;
    }
  };
  const reply = await future.done;
  const content = reply.content;
  if (content.status === 'error') {
    return { status: 'error', stdout, error: `${content.ename}: ${content.evalue}` };
  }
  return { status: content.status === 'ok' ? 'ok' : 'aborted', stdout };
}
