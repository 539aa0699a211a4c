/**
 * The command line's commands for Python: `model_advisor.check()`, `cells()` and `notebook()`
 * run this bundle (model_advisor/static/engine.js) in an embedded JavaScript engine or the
 * user's node — the same core, never a second estimator in Python. The bundle has no file
 * system: the files a command reads (a probe report, a config.json) come in `files`, and the
 * files it writes come back in `written`; Python writes them where its user asked.
 */
import { runCommand } from '../cli/index';
import { groupThousands } from './locale';
import { mount, written } from './memfs';

groupThousands();

export interface RunResult {
  code: number; // 0 done, 2 the user's mistake (message in err), 1 an internal error
  out: string;
  err: string;
  written: Record<string, string>;
}

/** One command, as `model-advisor <argv…>` would run it. Never rejects. */
export async function run(argv: string[], files: Record<string, string> = {}): Promise<RunResult> {
  mount(files);
  let out = '';
  const result = (code: number, err = ''): RunResult => ({ code, out, err, written: written() });
  const [name, ...rest] = argv;
  let err = '';
  try {
    const code = await runCommand(name, rest, text => (out += text), text => (err += text));
    return result(code, err);
  } catch (e) {
    return result(1, `model-advisor: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
}

/**
 * For an engine that passes strings only and runs promises when asked (QuickJS): `begin` a
 * command with its JSON request, run the engine's pending jobs, then `take` the JSON answer
 * (null while the command still waits — for a network fetch, which such an engine cannot do).
 */
let answer: string | null = null;

export function begin(request: string): void {
  answer = null;
  const { argv, files } = JSON.parse(request) as { argv: string[]; files?: Record<string, string> };
  void run(argv, files ?? {}).then(r => {
    answer = JSON.stringify(r);
  });
}

export function take(): string | null {
  return answer;
}
