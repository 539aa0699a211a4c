/**
 * Every subcommand of `model-advisor`, in the order `--help` lists them. Each wing of the
 * core that has a command adds it here; `src/cli.ts` only dispatches.
 */
import { Command } from './args';

export const COMMANDS: Command[] = [];
export { UsageError } from './args';
export type { Command } from './args';
