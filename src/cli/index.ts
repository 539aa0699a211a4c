/**
 * Every subcommand of `model-advisor`, in the order `--help` lists them. Each command has its
 * own file in src/cli/; the flags several share are read in resolve.ts; `src/cli.ts` and the
 * Python engine (src/engine/index.ts) only dispatch, through `runCommand`.
 */
import { Command, UsageError } from './args';
import { CELL_COMMANDS } from './cells';
import { fitCommand } from './fit';
import { gpusCommand, modelsCommand } from './lists';
import { paramsCommand } from './params';
import { recommendCommand } from './recommend';

export const COMMANDS: Command[] = [...CELL_COMMANDS, paramsCommand, fitCommand, recommendCommand, gpusCommand, modelsCommand];

/**
 * One command, as `model-advisor <name> <argv…>` runs it: the exit code, with a UsageError's
 * message as the one line on `err` and exit 2. Anything else is thrown (an internal error).
 */
export async function runCommand(name: string | undefined, argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const command = COMMANDS.find(c => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; try --help`);
    return await command.run(argv, out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`model-advisor: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    throw e;
  }
}
export { UsageError, commandHelp, wantsHelp } from './args';
export type { Command } from './args';
