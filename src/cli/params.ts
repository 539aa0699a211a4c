/** `params`: the exact parameter count of a model from its config.json. */
import { Command, UsageError, parseArgs } from './args';
import { n, table } from './format';
import { readJson, required, userError } from './resolve';
import { withFamilyDefaults } from '../core/catalog';
import { countParameters } from '../core/params';
import { ModelConfig } from '../core/types';

export const paramsCommand: Command = {
  name: 'params',
  usage: 'params <config.json> [--json]',
  summary: 'exact parameter count of a model from its config.json',
  run(argv, out) {
    const args = parseArgs(argv, ['json']);
    const file = required(args.positional[0], 'a config.json path');
    const config = readJson(file);
    if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new UsageError(`${file} is not a config.json object`);
    // The config as `fit` and the cells read it: what it leaves out is its family's default.
    const count = userError(() => countParameters(withFamilyDefaults(config as ModelConfig)));
    if (args.flags.has('json')) {
      out(JSON.stringify({ params: count.total, ...count }) + '\n');
      return 0;
    }
    const rows = [
      ['family', count.family],
      ['architecture', count.architecture],
      ['parameters', n(count.total)],
      ['  embeddings', n(count.embedding)],
      ['  output head', count.tied ? 'tied to the embeddings' : n(count.lm_head)],
      ['  Linear weights', n(count.linear)],
      ['  norms and biases', n(count.norms_and_biases)]
    ];
    if (count.other) rows.push(['  other (experts, routers, …)', n(count.other)]);
    if (count.moe) rows.push(['active per token', n(count.moe.active_total)]);
    out(table(rows));
    return 0;
  }
};
