/**
 * Every subcommand of `model-advisor`, in the order `--help` lists them. Each wing of the
 * core that has a command adds it here; `src/cli.ts` only dispatches.
 */
import { Command } from './args';
import { CELL_COMMANDS } from './cells';
import { ESTIMATE_COMMANDS } from './estimate';

export const COMMANDS: Command[] = [];
COMMANDS.push(...CELL_COMMANDS);
COMMANDS.push(...ESTIMATE_COMMANDS);
export { UsageError, commandHelp, wantsHelp } from './args';
export type { Command } from './args';
