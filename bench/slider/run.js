// What one move of the length slider costs the panel, against one frame (16 ms at 60 Hz).
//
// A move (the slider dragged) re-estimates the chosen model at the new length — its plan, its
// estimate, the sliders' ends (longest length, largest batch) — and renders the whole panel to
// markup (React, no DOM); the list keeps its verdicts until the slider is let go. The release
// judges every card again at the new length (recommendModels over the catalog): measured apart.
// The baseline in the same run is one bare estimateMemory call, so the ratio says how many
// estimates a move costs. Runs on the built core (lib/): `npm run build:lib`, then
//
//     node bench/slider/run.js            # writes bench/slider/results.json
//
// Moves sweep 64 … the longest length that fits, in the slider's 64-token steps, on a Colab
// T4 (the cards plan QLoRA) and on a laptop without a GPU (the panel's two common runtimes).
const fs = require('fs');
const path = require('path');
const React = require('react');
const { renderToStaticMarkup } = require('react-dom/server');
const lib = path.join(__dirname, '..', '..', 'lib');
const { estimateMemory, defaultSettings, findGpu, findModel } = require(path.join(lib, 'core'));
const { AdvisorModel } = require(path.join(lib, 'ui', 'panel', 'advisor'));
const { AdvisorPanel } = require(path.join(lib, 'ui', 'panel', 'Panel'));
const { Emitter } = require(path.join(lib, 'ui', 'panel', 'host'));

const FRAME_MS = 1000 / 60;
const PACKAGES = { torch: '2.13.0', transformers: '5.24.0', peft: '0.21.2', bitsandbytes: '0.50.2', trl: '1.16.0', accelerate: '1.15.0', modelscope: null };
const base = { schema_version: 1, platform: 'colab', backend: 'cuda', ram_total_mib: 12978, ram_available_mib: 11734, disk_free_mib: 80352, disk_path: '/root', python: '3.11.13', packages: PACKAGES, errors: [], elapsed_ms: 40 };
const RUNTIMES = {
  'colab-t4': { ...base, gpus: [{ index: 0, name: 'Tesla T4', memory_total_mib: 15360, memory_used_mib: 0, memory_free_mib: 15095, compute_capability: '7.5', driver_version: '550.54.15' }] },
  'cpu-laptop': { ...base, platform: 'local', backend: 'cpu', gpus: [], ram_total_mib: 16000, ram_available_mib: 12000 }
};

const ms = ns => Number(ns) / 1e6;
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function host(report) {
  return { runtime: { kind: 'ready', report }, changed: new Emitter(), canInsert: true, notebookPath: 'n.ipynb', refreshRuntime() {}, insertCells: cells => ({ count: cells.length }) };
}

function sweep(report, lang) {
  const advisor = new AdvisorModel(host(report), lang);
  const panel = () => renderToStaticMarkup(React.createElement(AdvisorPanel, { advisor }));
  panel(); // warm: the first render compiles the views
  const advice = advisor.advice;
  const top = advice.kind === 'ready' ? advice.advice.seqLenMax : 1024;
  const lengths = [];
  for (let s = 64; s <= Math.max(64, top); s += 64) lengths.push(s);
  const compute = [];
  const whole = [];
  const release = [];
  for (const round of [0, 1, 2]) {
    const order = round === 1 ? lengths.slice().reverse() : lengths;
    order.forEach((seqLen, i) => {
      const t0 = process.hrtime.bigint();
      advisor.update({ seqLen }, true);
      const a = advisor.advice; // the chosen model's estimate and the sliders' ends
      const t1 = process.hrtime.bigint();
      panel();
      const t2 = process.hrtime.bigint();
      if (a.kind !== 'ready') throw new Error('no advice');
      compute.push(ms(t1 - t0));
      whole.push(ms(t2 - t0));
      if (i % 8 === 7) {
        // Let go here: the whole list at this length, and the panel drawn again.
        const r0 = process.hrtime.bigint();
        advisor.commit();
        void advisor.advice;
        panel();
        release.push(ms(process.hrtime.bigint() - r0));
      }
    });
  }
  return { moves: compute.length, longest_fit: top, move_compute_ms: summary(compute), move_compute_and_render_ms: summary(whole), releases: release.length, release_ms: summary(release) };
}

function summary(xs) {
  return { p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), max: round(Math.max(...xs)) };
}
const round = x => Math.round(x * 1000) / 1000;

// Baseline: one estimate, the unit of all the work above.
const qwen = findModel('Qwen/Qwen2.5-7B-Instruct');
const t4 = findGpu('t4');
const settings = defaultSettings(qwen, t4, 'qlora', { seqLen: 1024 });
for (let i = 0; i < 200; i++) estimateMemory(qwen, t4, settings);
const N = 2000;
const b0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) estimateMemory(qwen, t4, settings);
const estimateMs = ms(process.hrtime.bigint() - b0) / N;

// One whole sweep first, its times thrown away: the JIT compiles the estimate and the views, as
// in a panel that has been open a moment (otherwise the first runtime measured pays for it all).
sweep(RUNTIMES['colab-t4'], 'en');

const results = { what: 'one move of the sequence-length slider: the panel recomputed (and rendered) at the new length', frame_ms: round(FRAME_MS), one_estimate_ms: round(estimateMs), warm_up: 'one untimed sweep (colab-t4 en) before the timed ones', runtimes: {} };
for (const [name, report] of Object.entries(RUNTIMES)) {
  for (const lang of ['en', 'zh-Hant']) {
    const r = sweep(report, lang);
    r.move_p50_over_frame = round(r.move_compute_and_render_ms.p50 / FRAME_MS);
    r.move_p95_over_frame = round(r.move_compute_and_render_ms.p95 / FRAME_MS);
    r.move_p50_in_estimates = Math.round(r.move_compute_ms.p50 / estimateMs);
    r.release_p50_in_estimates = Math.round(r.release_ms.p50 / estimateMs);
    results.runtimes[`${name} ${lang}`] = r;
  }
}
results.node = process.version;
results.load_average = require('os').loadavg().map(round);
results.cpus = require('os').cpus().length;
fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
