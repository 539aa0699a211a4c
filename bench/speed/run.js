// Prices every published speed in measurements.json with estimateSpeed (the compiled core in
// lib/), prints estimated ÷ measured per point and per series, and writes results.json for report.py.
//
//   npm run build:lib && node bench/speed/run.js      (`make bench` does both)
'use strict';
const fs = require('fs');
const path = require('path');
const lib = path.join(__dirname, '..', '..', 'lib', 'core');
const { findModel, modelFromConfig } = require(path.join(lib, 'catalog'));
const { findGpu, capabilities } = require(path.join(lib, 'gpu'));
const { defaultSettings } = require(path.join(lib, 'memory'));
const { estimateSpeed } = require(path.join(lib, 'speed'));

const data = JSON.parse(fs.readFileSync(path.join(__dirname, 'measurements.json'), 'utf8'));
const memoryModels = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'accuracy', 'measurements.json'), 'utf8')).models;
const SETTING_KEYS = ['seqLen', 'promptLen', 'batch', 'gradAccum', 'loraR', 'loraAlpha', 'gradientCheckpointing', 'optimizer'];
const RECIPE_KEYS = ['loraTargets', 'weights', 'attention', 'loss', 'precision', 'transformers'];

function model(id) {
  const config = data.models[id] || memoryModels[id];
  if (config) return modelFromConfig(config, id);
  const m = findModel(id);
  if (!m) throw new Error(`measurements.json names ${id}, which is neither in its models nor in the catalog`);
  return m;
}

/** A card the profiles lack (L40S, H20): its nvidia-smi name, memory and capability. */
function gpuOf(series, point) {
  if (point.gpu || (series.gpu && !point.gpu_profile)) return findGpu(point.gpu || series.gpu);
  const p = point.gpu_profile || series.gpu_profile;
  return { id: p.name, name: p.name, backend: 'cuda', count: 1, memory_mib: p.memory_mib, compute_capability: p.compute_capability, ...capabilities('cuda', p.compute_capability) };
}

/** The estimate in the unit the source reports. */
function estimated(speed, metric) {
  switch (metric) {
    case 'seconds_per_step':
      return speed.seconds_per_step;
    case 'tokens_per_second':
      return speed.tokens_per_second;
    case 'generated_per_second':
      return speed.generated_tokens / speed.seconds;
    case 'all_tokens_per_second':
      return (speed.prompt_tokens + speed.generated_tokens) / speed.seconds;
  }
  throw new Error(`unknown metric ${metric}`);
}

const rows = [];
for (const series of data.series) {
  for (const point of series.points) {
    const m = model(point.model);
    const gpu = gpuOf(series, point);
    const wanted = {};
    for (const k of SETTING_KEYS) {
      const v = point[k] ?? series.fit[k];
      if (v !== undefined) wanted[k] = v;
    }
    const recipe = { ...(series.fit.recipe || {}) };
    for (const k of RECIPE_KEYS) if (point[k] !== undefined) recipe[k] = point[k];
    wanted.recipe = recipe;
    const settings = defaultSettings(m, gpu, series.fit.method, wanted);
    const speed = estimateSpeed(m, gpu, settings, point.strategy || series.strategy || (gpu.count > 1 ? 'ddp' : 'single'));
    if (speed === null) throw new Error(`no peak figures for ${gpu.name}`);
    const value = estimated(speed, series.metric);
    // A time is slow when it is long; a rate when it is small: the ratio is always estimated speed ÷ measured speed.
    const ratio = series.metric === 'seconds_per_step' ? point.measured / value : value / point.measured;
    rows.push({
      series: series.id,
      method: series.method,
      // A point may be tuned where its series is a check: one constant set on part of a series (rates.ts AWQ_LINEAR_SECONDS).
      tuned: point.tuned ?? series.tuned,
      fully_stated: series.fully_stated !== false,
      model: point.model,
      gpu: gpu.name,
      gpus: gpu.count,
      seq_len: settings.seqLen,
      prompt_len: settings.promptLen ?? null,
      batch: settings.batch,
      measured: point.measured,
      unit: series.unit,
      estimated: value,
      ratio,
      achieved_tflops: speed.kind === 'training' ? speed.achieved_tflops : null,
      peak_tflops: speed.peak_tflops
    });
  }
}
const out = path.join(__dirname, 'results.json');
fs.writeFileSync(out, JSON.stringify({ sources: data.series.map(({ points, ...s }) => ({ ...s, points: points.length })), rows }, null, 1) + '\n');
const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log('estimated speed ÷ measured speed (1.00 = exact, above 1 = the estimate is faster than measured)');
for (const series of data.series) {
  const r = rows.filter(x => x.series === series.id);
  if (!r.length) continue;
  const ratios = r.map(x => x.ratio);
  console.log(`${series.tuned ? 'tuned ' : 'check '} ${series.id.padEnd(24)} ${String(r.length).padStart(3)} points  median ${median(ratios).toFixed(2)}  ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`);
  if (process.argv.includes('-v')) for (const x of r) console.log(`        ${x.model.padEnd(28)} ${String(x.seq_len).padStart(6)}  measured ${x.measured}  estimated ${x.estimated.toPrecision(3)}  ratio ${x.ratio.toFixed(2)}`);
}
console.log(`${rows.length} points → ${path.relative(process.cwd(), out)}`);
