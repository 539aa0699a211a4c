/** `gpus` and `models`: the profiles --gpu accepts and the model catalog, as tables or JSON. */
import { Command, parseArgs } from './args';
import { n, table } from './format';
import { MODELS } from '../core/catalog';
import { GPU_PROFILES } from '../core/gpu';
import { countParameters } from '../core/params';

/** A command that lists rows: all of them as JSON with --json, else a table. */
function listCommand(name: string, summary: string, json: () => unknown[], header: string[], rows: () => string[][]): Command {
  return {
    name,
    usage: `${name} [--json]`,
    summary,
    run(argv, out) {
      const args = parseArgs(argv, ['json']);
      out(args.flags.has('json') ? JSON.stringify(json()) + '\n' : table([header, ...rows()]));
      return 0;
    }
  };
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

export const gpusCommand = listCommand(
  'gpus',
  'the GPU profiles --gpu accepts',
  () => [...GPU_PROFILES],
  ['id', 'name', 'memory (MiB)', 'capability', 'bf16', '4-bit', 'FA2'],
  () => GPU_PROFILES.map(p => [p.id, p.count > 1 ? `${p.count}× ${p.name}` : p.name, n(p.memory_mib), p.compute_capability ?? '-', yes(p.bf16), yes(p.bnb_4bit), yes(p.flash_attention_2)])
);

export const modelsCommand = listCommand(
  'models',
  'the model catalog',
  () => MODELS.map(m => ({ ...m, params: countParameters(m.config).total })),
  ['id', 'params', 'tasks', 'languages', 'zh', 'licence', 'released'],
  () => MODELS.map(m => [m.id, (countParameters(m.config).total / 1e9).toFixed(2) + 'B', m.tasks.join(','), m.languages.join(','), '★'.repeat(m.chinese), m.license, m.released])
);

