// Counts the parameters of every catalog model whose family transformers ships, REPEAT
// times over, in one node process (the core, built in lib/). Prints JSON: the counts and
// the seconds spent counting, measured inside the process.
const path = require('path');
const { MODELS, countParameters, estimateMemory, defaultSettings, GPU_PROFILES, METHODS } = require(path.join(__dirname, '..', '..', 'lib', 'core'));

const ids = JSON.parse(process.argv[2]);
const repeat = Number(process.argv[3] || 100);
const models = ids.map(id => MODELS.find(m => m.id === id));

let counts = {};
const t0 = process.hrtime.bigint();
for (let i = 0; i < repeat; i++) {
  for (const m of models) counts[m.id] = countParameters(m.config).total;
}
const countSeconds = Number(process.hrtime.bigint() - t0) / 1e9 / repeat;

// The sidebar's whole job on a GPU change: an estimate for every model × method × profile.
let estimates = 0;
const t1 = process.hrtime.bigint();
for (const m of MODELS) {
  for (const gpu of GPU_PROFILES) {
    for (const method of METHODS) {
      estimateMemory(m, gpu, defaultSettings(m, gpu, method));
      estimates++;
    }
  }
}
const estimateSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
process.stdout.write(JSON.stringify({ counts, countSeconds, estimates, estimateSeconds }) + '\n');
