// Renders cells in bulk for the pytest suite (tests/test_cells.py), so Python's own `ast` can
// judge every rendering without one node process per case. Reads the compiled core in lib/.
//
//   node tests/render_cells.js matrix            every catalog model × method × GPU profile × step set
//   node tests/render_cells.js fuzz <n> <seed>    n renderings with hostile values, each with a reference
//   node tests/render_cells.js languages          the same request's cells in en, zh-Hans and zh-Hant
//
// Writes one JSON document to stdout.
'use strict';
const path = require('path');
const lib = path.join(__dirname, '..', 'lib', 'core');
const { renderCells, toPercentScript, STEPS, CellRequestError } = require(path.join(lib, 'codegen'));
const { MODELS } = require(path.join(lib, 'catalog'));
const { GPU_PROFILES, findGpu } = require(path.join(lib, 'gpu'));
const METHODS = ['inference', 'full', 'lora', 'qlora'];

/** A rendering, or the refusal a user would read. Any other exception is a bug and propagates. */
function cellsOrRefusal(request) {
  try {
    return { cells: renderCells(request) };
  } catch (e) {
    if (e instanceof CellRequestError) return { refused: e.message };
    throw e;
  }
}

function attempt(request) {
  const { cells, refused } = cellsOrRefusal(request);
  return cells ? { script: toPercentScript(cells) } : { refused };
}

/** The tasks beyond a model's first that the cells serve: NER where the catalog lists it, QA for every model. */
function otherTasks(model) {
  return ['ner', 'qa'].filter(task => model.tasks[0] !== task && (task === 'qa' || model.tasks.includes(task)));
}

function matrix() {
  const out = [];
  const stepSets = [undefined, [...STEPS], ...STEPS.map(s => [s])];
  const detailGpus = new Set(['t4', 'a100-40gb', 'cpu']);
  for (const model of MODELS) {
    for (const method of METHODS) {
      for (const gpu of GPU_PROFILES) {
        for (const steps of detailGpus.has(gpu.id) ? stepSets : [undefined]) {
          for (const language of steps === undefined && gpu.id === 't4' ? ['en', 'zh-Hans', 'zh-Hant'] : ['en']) {
            const key = { model: model.id, method, gpu: gpu.id, steps: steps ? steps.join(',') : 'default', language };
            out.push({ key, ...attempt({ model, gpu, method, steps, language, maxSteps: 10 }) });
            // The guide's NER and QA (issue 18): an encoder's token and QA heads, a generative model's QA.
            if (language === 'en' && detailGpus.has(gpu.id) && (steps === undefined || steps.length === STEPS.length || steps[0] === 'train' || steps[0] === 'try')) {
              for (const task of otherTasks(model)) out.push({ key: { ...key, task }, ...attempt({ model, gpu, method, steps, language, maxSteps: 10, task }) });
            }
          }
          // The same recipe simulated on the CPU (--simulate-on-cpu), for the GPUs people have.
          if (steps === undefined && gpu.id !== 'cpu' && detailGpus.has(gpu.id)) {
            const key = { model: model.id, method, gpu: gpu.id, steps: 'default', language: 'en', simulate: true };
            out.push({ key, ...attempt({ model, gpu, method, language: 'en', maxSteps: 10, simulateOnCpu: true }) });
          }
        }
      }
    }
  }
  return out;
}

// ---- fuzz: values chosen to break quoting, lines, comments and encodings.

function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: reproducible from the seed the test prints.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  '"', "'", '"""', "'''", '\\', '\\n', '\n', '\r', '\r\n', '\t', '\0', '{', '}', '{x}', '%', '%s', '# %%', '#', '`', '``',
  '\u2028', '\u2029', '\x85', '\x0b', '\x0c', '\x1b', '\x7f', '\ufeff', '\ud800', '\udfff', '\ud83d', '😀', '中文', '繁體',
  'é', ')', '(', ']', ';', ':', ' ', '\\x00', '\\u0041', '$(rm -rf ~)', 'import os', '__MODEL_ID__', 'a', 'Qwen/Qwen2.5', '.jsonl', '.csv'
];

function hostile(rand) {
  const n = 1 + Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rand() < 0.7 ? PIECES[Math.floor(rand() * PIECES.length)] : String.fromCharCode(Math.floor(rand() * 0x10000));
  }
  return s;
}

const FUZZ_FIELDS = ['modelPath', 'dataset', 'prompt', 'saveDir', 'cacheDir', 'mirrorUrl'];

function fuzz(n, seed) {
  const rand = prng(seed);
  const model = MODELS.find(m => m.gated) || MODELS[0];
  const gpus = GPU_PROFILES.filter(g => ['t4', 'a100-40gb', 'cpu'].includes(g.id));
  const cases = [];
  for (let i = 0; i < n; i++) {
    const values = {};
    for (const f of FUZZ_FIELDS) values[f] = hostile(rand);
    const method = ['lora', 'qlora', 'full'][Math.floor(rand() * 3)];
    const gpu = gpus[Math.floor(rand() * gpus.length)];
    // ModelScope ignores a local path, so the mirror is the source that shows every value.
    const common = { model, gpu, method, source: 'mirror', maxSteps: 1 + Math.floor(rand() * 1000), language: ['en', 'zh-Hans', 'zh-Hant'][i % 3] };
    const markers = {};
    for (const f of FUZZ_FIELDS) markers[f] = `VALUE_${f}`;
    // The reference has the same options; its dataset keeps the fuzzed one's local-file suffix.
    const suffix = /\.(jsonl|json|csv)$/i.exec(values.dataset);
    if (suffix) markers.dataset += suffix[0];
    const got = attempt({ ...common, ...values });
    const reference = attempt({ ...common, ...markers });
    cases.push({ values, markers, ...got, reference: reference.script });
  }
  return cases;
}

// ---- languages: one request in each interface language. The data stays English, so only the
// words differ: markdown cells, the comments inside the code (and the warnings the load cell prints).

function languages() {
  const out = [];
  const targets = [['t4', false], ['t4', true], ['a100-40gb', false], ['cpu', false], ['2xt4', false]];
  for (const model of MODELS) {
    for (const method of METHODS) {
      for (const [gpu, simulateOnCpu] of targets) {
        const request = { model, gpu: findGpu(gpu), method, maxSteps: 10, simulateOnCpu, dataLanguage: 'en' };
        const byLanguage = {};
        for (const language of ['en', 'zh-Hans', 'zh-Hant']) {
          const { cells } = cellsOrRefusal({ ...request, language });
          byLanguage[language] = cells ? cells.map(c => ({ cell_type: c.cell_type, step: c.step, source: c.source })) : null;
        }
        if (byLanguage.en !== null) out.push({ key: { model: model.id, method, gpu, simulate: simulateOnCpu }, ...byLanguage });
        if (gpu === '2xt4' || simulateOnCpu || gpu === 'a100-40gb') continue;
        for (const task of otherTasks(model)) {
          const byTask = {};
          for (const language of ['en', 'zh-Hans', 'zh-Hant']) {
            const { cells } = cellsOrRefusal({ ...request, task, language });
            byTask[language] = cells ? cells.map(c => ({ cell_type: c.cell_type, step: c.step, source: c.source })) : null;
          }
          if (byTask.en !== null) out.push({ key: { model: model.id, method, gpu, simulate: simulateOnCpu, task }, ...byTask });
        }
      }
    }
  }
  return out;
}

const [mode, n, seed] = process.argv.slice(2);
const result = mode === 'matrix' ? matrix() : mode === 'fuzz' ? fuzz(Number(n), Number(seed)) : mode === 'languages' ? languages() : null;
if (result === null) {
  process.stderr.write('usage: render_cells.js matrix | fuzz <n> <seed> | languages\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(result));
