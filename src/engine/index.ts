/**
 * The command line's commands for Python: `model_advisor.check()`, `cells()` and `notebook()`
 * run this bundle (model_advisor/static/engine.js) in an embedded JavaScript engine or the
 * user's node — the same core, never a second estimator in Python. The bundle has no file
 * system: the files a command reads (a probe report, a config.json) come in `files`, and the
 * files it writes come back in `written`; Python writes them where its user asked.
 */
import { COMMANDS, UsageError } from '../cli/index';
import { groupThousands } from './locale';
import { mount, written } from './memfs';

groupThousands();

export interface RunResult {
  code: number; // 0 done, 2 the user's mistake (message in err), 1 an internal error
  out: string;
  err: string;
  written: Record<string, string>;
}

/** One command, as `model-advisor <argv…>` would run it. Synchronous; never throws. */
export function run(argv: string[], files: Record<string, string> = {}): RunResult {
  mount(files);
  let out = '';
  const result = (code: number, err = ''): RunResult => ({ code, out, err, written: written() });
  const [name, ...rest] = argv;
  const command = COMMANDS.find(c => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    const code = command.run(rest, text => {
      out += text;
    });
    if (typeof code !== 'number') return result(1, `model-advisor: ${name} is asynchronous; the engine runs synchronous commands only\n`);
    return result(code);
  } catch (e) {
    if (e instanceof UsageError) return result(2, `model-advisor: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return result(1, `model-advisor: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
}

/** JSON in, JSON out: the one function an engine without object passing calls. */
export function runJson(request: string): string {
  const { argv, files } = JSON.parse(request) as { argv: string[]; files?: Record<string, string> };
  return JSON.stringify(run(argv, files ?? {}));
}
