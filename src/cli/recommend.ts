/** `recommend`: catalog models ranked for a task, a language and a GPU, each with its plan and reasons. */
import { Command, UsageError, flagInt, flagString, parseArgs } from './args';
import { gib, n } from './format';
import { oneOf, required, resolveRuntime, resolveStrategy, userError } from './resolve';
import { recommendModels } from '../core/recommend';
import { METHODS, TASKS, Task } from '../core/types';

export const recommendCommand: Command = {
  name: 'recommend',
  usage: 'recommend --gpu <profile|24GB|2xt4> --task <task> --language <zh|zh-Hant|en|…> [--method …] [--strategy auto|ddp|fsdp|…] [--report probe.json] [--limit N] [--json]',
  summary: 'catalog models ranked for a task, a language and a GPU, with reasons',
  run(argv, out) {
    const args = parseArgs(argv, ['json'], ['gpu', 'report', 'task', 'language', 'method', 'limit', 'strategy']);
    const { gpu } = resolveRuntime(args);
    const task = required(oneOf<Task>(args, 'task', TASKS), `--task <${TASKS.join('|')}>`);
    const language = required(flagString(args, 'language'), '--language <zh|en|…>');
    if (!/^([a-z]{2}|zh-Han[st])$/.test(language)) throw new UsageError(`--language must be a two-letter code such as zh or en (or zh-Hant, zh-Hans), not ${JSON.stringify(language)}`);
    const method = oneOf(args, 'method', METHODS);
    const limit = flagInt(args, 'limit', 5);
    const strategy = resolveStrategy(args);
    if (strategy !== 'auto' && gpu.count <= 1) throw new UsageError(`--strategy ${strategy} spreads training over several GPUs; ${gpu.name} is one (give --gpu 2xt4, 8xh100-80gb, …)`);
    const recs = userError(() => recommendModels({ task, language, gpu, method, strategy, limit }));
    if (args.flags.has('json')) {
      out(
        JSON.stringify(
          recs.map(r => ({ model: r.model.id, method: r.method, params: r.params, total_mib: r.plan.total_mib, verdict: r.plan.verdict, settings: r.plan.settings, score: r.score, reasons: r.reasons, strategy: r.plan.strategy, per_gpu_mib: r.plan.spread.per_gpu.map(g => g.total_mib) }))
        ) + '\n'
      );
      return 0;
    }
    if (recs.length === 0) {
      out(`No catalog model for ${task} in ${language} fits ${gpu.name}${method ? ` with ${method}` : ''}.\n`);
      return 0;
    }
    out(
      recs
        .map((r, i) => {
          const size = r.plan.strategy === 'single' ? `about ${gib(r.plan.total_mib)}` : `${r.plan.strategy}, about ${gib(r.plan.total_mib)} per GPU`;
          return `${i + 1}. ${r.model.id} — ${r.method}, ${n(r.plan.settings.seqLen)} tokens × batch ${r.plan.settings.batch}, ${size}\n   ${r.reasons.map(x => x.text).join('; ')}`;
        })
        .join('\n') + '\n'
    );
    return 0;
  }
};

