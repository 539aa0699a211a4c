// Prices every published measurement in measurements.json with the matching recipe options,
// through the compiled core (lib/), and writes results.json for report.py.
//
//   node bench/accuracy/run.js      (after `npm run build:lib`; `make bench` does both)
'use strict';
const fs = require('fs');
const path = require('path');
const lib = path.join(__dirname, '..', '..', 'lib', 'core');
const { findModel, modelFromConfig } = require(path.join(lib, 'catalog'));
const { findGpu } = require(path.join(lib, 'gpu'));
const { defaultSettings, estimateMemory } = require(path.join(lib, 'memory'));

const data = JSON.parse(fs.readFileSync(path.join(__dirname, 'measurements.json'), 'utf8'));
const MIB = 2 ** 20;
const UNIT_MIB = { MiB: 1, GiB: 1024, GB: 1e9 / MIB, MB: 1e6 / MIB };
const RECIPE_KEYS = ['loraTargets', 'weights', 'attention', 'kbitPrep', 'loss', 'precision', 'kvCacheDtype', 'transformers'];
const SETTING_KEYS = ['seqLen', 'promptLen', 'batch', 'loraR', 'loraAlpha', 'gradientCheckpointing', 'optimizer'];

function model(id) {
  const config = data.models[id];
  if (config) return modelFromConfig(config, id);
  const m = findModel(id);
  if (!m) throw new Error(`measurements.json names ${id}, which is neither in its models nor in the catalog`);
  return m;
}

const rows = [];
for (const series of data.series) {
  const gpu = findGpu(series.gpu);
  for (const point of series.points) {
    const m = model(point.model);
    const wanted = {};
    for (const k of SETTING_KEYS) {
      const v = point[k] ?? series.fit[k];
      if (v !== undefined) wanted[k] = v;
    }
    // The published runs computed the full logits (their own trainers, not TRL's fused head):
    // priced as transformers' standard loss unless the series says otherwise.
    const recipe = { loss: 'standard', ...(series.fit.recipe || {}) };
    for (const k of RECIPE_KEYS) if (point[k] !== undefined) recipe[k] = point[k];
    wanted.recipe = recipe;
    const settings = defaultSettings(m, gpu, series.fit.method, wanted);
    const e = estimateMemory(m, gpu, settings);
    const measuredMib = point.measured * UNIT_MIB[series.unit_read_as];
    // Compare like with like: allocated memory has no CUDA context and no allocator reserve;
    // reserved memory has the reserve but no context; nvidia-smi (or an unstated basis) has both.
    const b = e.breakdown;
    const comparable = series.basis_kind === 'allocated' ? e.total_mib - b.cuda_context - b.allocator_overhead : series.basis_kind === 'reserved' ? e.total_mib - b.cuda_context : e.total_mib;
    rows.push({
      series: series.id,
      method: series.method,
      model: point.model,
      fully_stated: series.fully_stated,
      seq_len: settings.seqLen,
      batch: settings.batch,
      lora_r: series.fit.method === 'lora' || series.fit.method === 'qlora' ? settings.loraR : null,
      checkpointing: settings.gradientCheckpointing,
      recipe: e.recipe,
      measured: point.measured,
      unit: series.unit,
      measured_mib: Math.round(measuredMib),
      estimate_mib: comparable,
      estimate_total_mib: e.total_mib,
      compared_as: series.basis_kind || 'unknown',
      ratio: comparable / measuredMib,
      breakdown: e.breakdown
    });
  }
}
const out = path.join(__dirname, 'results.json');
fs.writeFileSync(out, JSON.stringify({ sources: data.series.map(({ points, ...s }) => ({ ...s, points: points.length })), rows }, null, 1) + '\n');
console.log(`${rows.length} points priced → ${path.relative(process.cwd(), out)}`);
