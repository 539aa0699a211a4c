/** The command line's small vocabulary: parsed arguments, and the error that exits 2. */

/** Bad input from the user: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * `--name value`, `--name=value` and bare `--switch`. Which flags take a value is the
 * command's business, so it passes the names of its boolean switches, and, in `options`, the
 * names of the flags that take one: any other `--name` is refused in one line (a mistyped
 * `--seq_len 4096` must not be silently ignored while the cells use the default).
 */
export function parseArgs(argv: string[], switches: readonly string[] = [], options: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!switches.includes(name) && !options.includes(name)) {
      const known = [...switches, ...options].map(o => `--${o}`);
      throw new UsageError(`unknown option --${name}${known.length ? ` (this command takes ${known.join(', ')})` : ' (this command takes none)'}`);
    }
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (switches.includes(name)) flags.set(name, true);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`--${name} needs a value`);
  }
  return { positional, flags };
}

/** A flag's string value, or the default; a switch given where a value is due is an error. */
export function flagString(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

/** A whole number ≥ min, or the default. "1,024" and "1024" both read as 1024. */
export function flagInt(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const s = flagString(args, name);
  if (s === undefined) return fallback;
  const n = Number(s.replace(/[,_]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, not ${JSON.stringify(s)}`);
  return n;
}

/** One subcommand of `model-advisor`. `run` returns the exit code; it throws UsageError for bad input. */
export interface Command {
  name: string;
  usage: string; // one line, e.g. "params <config.json> [--json]"
  summary: string;
  /** What `model-advisor <command> --help` lists: each option and what it does. */
  options?: ReadonlyArray<readonly [string, string]>;
  run(argv: string[], out: (text: string) => void): number | Promise<number>;
}

/** `--help` or `-h` anywhere among a command's arguments asks for that command's help. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some(a => a === '--help' || a === '-h');
}

/** `model-advisor <command> --help`: the usage, what it does, and every option. */
export function commandHelp(c: Command): string {
  const lines = [`Usage: model-advisor ${c.usage}`, '', c.summary];
  if (c.options && c.options.length > 0) {
    lines.push('', 'Options:');
    for (const [flag, what] of c.options) lines.push(`  ${flag}`, `      ${what}`);
  }
  return lines.join('\n') + '\n';
}

/** A command's options as `--help` lists them: `--name <value>` takes a value, a bare `--name` is a switch. */
export type OptionTable = ReadonlyArray<readonly [string, string]>;

/**
 * Parse by the command's own help table, so the flags it accepts and the ones it documents are
 * one list: an option added to the help is taken, one left out of it is refused.
 */
export function parseOptions(argv: string[], options: OptionTable): ParsedArgs {
  const switches: string[] = [];
  const values: string[] = [];
  for (const [flag] of options) {
    for (const m of flag.matchAll(/--([a-z0-9-]+)(\s+<)?/g)) (m[2] ? values : switches).push(m[1]);
  }
  return parseArgs(argv, switches, values);
}
