/**
 * `cells` and `notebook`: the generated cells from a terminal — as a percent-format script on
 * stdout, or as an .ipynb file a user can upload to Colab as it is.
 */
import { writeFileSync } from 'node:fs';
import { Command, OptionTable, ParsedArgs, UsageError, flagInt, flagString, parseOptions } from './args';
import { oneOf, resolveModel, resolveRuntime, resolveStrategy } from './resolve';
import { CellRequest, CellRequestError, renderCells, toNotebook, toPercentScript, Cell } from '../core/codegen';
import { LANGUAGES, Language } from '../core/i18n';
import { METHODS, Method, TASKS, Task } from '../core/types';

/** Every option of both commands: the help lists them, and (parseOptions) they are the flags accepted. */
export const CELL_OPTIONS: OptionTable = [
  ['--gpu <profile|size|2xt4>', 'the GPU the cells are for: a profile such as t4, a100-40gb, cpu, or a size such as 24GB'],
  ['--report <probe.json>', "the kernel probe's report: this machine (with --gpu, used only when it describes that GPU)"],
  ['--method <inference|lora|qlora|full>', 'how the model is used (default qlora)'],
  ['--strategy <auto|ddp|fsdp|zero2|zero3|device-map|fsdp-offload|zero2-offload|zero3-offload>', 'several GPUs: how they share the training (default auto)'],
  ['--task <task>', 'what the model is trained for (default: its first task)'],
  ['--dataset <id|file>', 'a hub dataset id, or a local .json / .jsonl / .csv file'],
  ['--source <hf|modelscope|mirror>', 'where the weights come from (default hf)'],
  ['--max-steps <N>', 'optimizer steps of the first run (default 60)'],
  ['--steps <a,b,…>', 'which steps, comma-separated (install, login, source, check, quantize, load, lora, train, launch, try, save); check (off by default) measures the token lengths of your data before training'],
  ['--lang <en|zh-Hans|zh-Hant>', 'the language of the markdown (default en)'],
  ['--prompt <text>', 'the "try it" prompt'],
  ['--labels <N>', 'classification: how many labels (default 2)'],
  ['--save-dir <folder>', 'where the trained model is saved'],
  ['--cache-dir <folder>', 'HF_HOME: where downloads go'],
  ['--data-lang <en|zh>', 'the language of the training data (picks the sample rows and the prompt)'],
  ['--max-new-tokens <N>', 'how many tokens "try it" generates (default 128)'],
  ['--seq-len <N>', "tokens per sample (default: the plan's)"],
  ['--batch <N>', "samples per device per step (default: the plan's)"],
  ['--grad-accum <N>', "gradient accumulation (default: the plan's)"],
  ['--dtype <nf4|int8>', "inference: the weights in 4-bit NF4 or 8-bit (bitsandbytes) instead of the GPU's 16-bit format"],
  ['--simulate-on-cpu', "the GPU's recipe with the model on this CPU: try a Colab notebook on a laptop first"]
];

/** The request both commands build from the same flags. */
export function cellRequestFromArgs(args: ParsedArgs): CellRequest {
  const [spec, ...extra] = args.positional;
  if (spec === undefined) throw new UsageError('give a model id or a local folder holding config.json');
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const { model, modelPath } = resolveModel(spec);
  const { gpu, report } = resolveRuntime(args);
  const steps = flagString(args, 'steps');
  const maxSteps = flagString(args, 'max-steps') === undefined ? undefined : flagInt(args, 'max-steps', 1);
  const maxNewTokens = flagString(args, 'max-new-tokens') === undefined ? undefined : flagInt(args, 'max-new-tokens', 1);
  // The training settings the estimate would otherwise choose (bench/gpu/run.py pins them).
  const settings: CellRequest['settings'] = {};
  for (const [flag, key] of [['seq-len', 'seqLen'], ['batch', 'batch'], ['grad-accum', 'gradAccum']] as const) {
    if (flagString(args, flag) !== undefined) settings[key] = flagInt(args, flag, 1);
  }
  // Quantized inference (bitsandbytes): the quantize step and a 4-/8-bit load. QLoRA is 4-bit already.
  const dtype = oneOf(args, 'dtype', ['nf4', 'int8'] as const);
  if (dtype !== undefined) {
    if (flagString(args, 'method') !== 'inference') throw new UsageError('--dtype is for --method inference (QLoRA loads 4-bit weights itself; LoRA and full train 16-/32-bit ones)');
    settings.dtype = dtype;
  }
  const labels = flagString(args, 'labels') === undefined ? undefined : flagInt(args, 'labels', 2, 2);
  return {
    model,
    modelPath,
    gpu,
    method: oneOf<Method>(args, 'method', METHODS, 'qlora') as Method,
    task: oneOf<Task>(args, 'task', TASKS),
    steps: steps === undefined ? undefined : steps.split(',').map(s => s.trim()).filter(Boolean),
    dataset: flagString(args, 'dataset'),
    source: oneOf(args, 'source', ['hf', 'modelscope', 'mirror'] as const),
    maxSteps,
    maxNewTokens,
    settings,
    report,
    language: oneOf<Language>(args, 'lang', LANGUAGES, 'en'),
    prompt: flagString(args, 'prompt'),
    numLabels: labels,
    saveDir: flagString(args, 'save-dir'),
    cacheDir: flagString(args, 'cache-dir'),
    dataLanguage: oneOf(args, 'data-lang', ['en', 'zh'] as const),
    // The GPU's recipe with the model on this CPU ("try the Colab recipe on my laptop first").
    simulateOnCpu: args.flags.get('simulate-on-cpu') === true,
    strategy: resolveStrategy(args) // several GPUs: --strategy auto|ddp|fsdp|zero2|zero3|…
  };
}

function render(request: CellRequest): Cell[] {
  try {
    return renderCells(request);
  } catch (e) {
    if (e instanceof CellRequestError) throw new UsageError(e.message);
    throw e;
  }
}

export const cellsCommand: Command = {
  name: 'cells',
  usage: 'cells <model-id|local-dir> --gpu … --method …',
  summary: 'print the notebook cells as a runnable percent-format script (# %%)',
  options: CELL_OPTIONS,
  run(argv, out) {
    const request = cellRequestFromArgs(parseOptions(argv, CELL_OPTIONS));
    out(toPercentScript(render(request)));
    return 0;
  }
};

const NOTEBOOK_OPTIONS: OptionTable = [['-o, --output <file.ipynb>', 'the notebook to write'], ...CELL_OPTIONS];

export const notebookCommand: Command = {
  name: 'notebook',
  usage: 'notebook <model-id|local-dir> --gpu … --method … -o file.ipynb',
  summary: 'write the same cells as a Jupyter notebook (nbformat 4)',
  options: NOTEBOOK_OPTIONS,
  run(argv, out) {
    const args = parseOptions(argv.map(a => (a === '-o' ? '--output' : a)), NOTEBOOK_OPTIONS);
    const output = flagString(args, 'output');
    if (output === undefined) throw new UsageError('notebook needs -o <file.ipynb>');
    const request = cellRequestFromArgs(args);
    const cells = render(request);
    // A simulation runs on the CPU: it asks Colab for no GPU.
    const notebook = toNotebook(cells, { gpu: request.gpu.backend === 'cuda' && !request.simulateOnCpu });
    try {
      writeFileSync(output, JSON.stringify(notebook, null, 1) + '\n');
    } catch (e) {
      throw new UsageError(`cannot write ${output}: ${(e as Error).message}`);
    }
    out(`Wrote ${output}: ${cells.filter(c => c.cell_type === 'code').length} code cells (${cells.filter(c => c.step !== 'title' && c.cell_type === 'code').map(c => c.step).join(', ')})\n`);
    return 0;
  }
};

/** Registered in src/cli/index.ts. */
export const CELL_COMMANDS: Command[] = [cellsCommand, notebookCommand];
