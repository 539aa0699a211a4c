#!/usr/bin/env node
/**
 * `model-advisor`: the core's judgement from a terminal. Dispatch only; each command lives
 * in src/cli/ beside the wing of the core it speaks for.
 */
import { COMMANDS, commandHelp, runCommand, wantsHelp } from './cli/index';

// Read at run time, so the version is the package's own and never drifts.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const VERSION: string = require('../package.json').version;

function help(): string {
  // Usage on its own line, the summary indented under it: some usages are long.
  return [
    `model-advisor ${VERSION} — which language model fits this GPU, and the cells to fine-tune it`,
    '',
    'Usage: model-advisor <command> [options]',
    '',
    ...COMMANDS.flatMap(c => [`  ${c.usage}`, `      ${c.summary}`]),
    '  --version',
    '      print the version',
    '  --help',
    '      print this help',
    ''
  ].join('\n');
}

export async function main(argv: string[], out: (text: string) => void = s => process.stdout.write(s), err: (text: string) => void = s => process.stderr.write(s)): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(help());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    out(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS.find(c => c.name === name);
  if (command && wantsHelp(rest)) {
    out(commandHelp(command));
    return 0;
  }
  return runCommand(name, rest, out, err);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => {
      process.exitCode = code;
    },
    e => {
      process.stderr.write(`model-advisor: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    }
  );
}
