// Renders the several-GPU cells for tests/test_multi_gpu.py: reads a JSON list of requests on
// stdin, writes a JSON list of cell lists (or {"refused": message}) on stdout. Each request
// names a catalog model (`model`) or a local folder (`modelPath`, its config.json read by the
// catalog's own reader) and a GPU (`gpu` as --gpu spells it, or `cpuProcesses` for a CPU
// rehearsal with that many processes).
'use strict';
const fs = require('fs');
const path = require('path');
const lib = path.join(__dirname, '..', 'lib', 'core');
const { renderCells, CellRequestError } = require(path.join(lib, 'codegen'));
const { findModel, modelFromConfig } = require(path.join(lib, 'catalog'));
const { findGpu } = require(path.join(lib, 'gpu'));

const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = requests.map(r => {
  const model = r.modelPath ? modelFromConfig(JSON.parse(fs.readFileSync(path.join(r.modelPath, 'config.json'), 'utf8')), r.modelPath) : findModel(r.model);
  const gpu = r.cpuProcesses ? { ...findGpu('cpu'), count: r.cpuProcesses } : findGpu(r.gpu);
  try {
    return renderCells({ ...r, model, gpu });
  } catch (e) {
    if (e instanceof CellRequestError) return { refused: e.message };
    throw e;
  }
});
process.stdout.write(JSON.stringify(out));
