/**
 * The estimate against recorded traces of the cells' own training step (bench/oracle/results.json,
 * written by `bench/oracle/run.py` with model_advisor/measure.py: the pinned transformers, peft,
 * TRL and bitsandbytes run on fake tensors along the GPU's code path). The allocated part — the
 * total less the CUDA context and the allocator allowance — must stay within 5 % of each trace:
 * a library upgrade that moves the trace, or an estimator change that moves the estimate, fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { Method, ModelEntry } from '../../types';
import { defaultSettings, estimateMemory, Optimizer } from '../index';

interface Row {
  model: string;
  gpu: string;
  method: Method;
  seq_len: number;
  batch: number;
  optimizer: string;
  traced_mib: number;
}

const RESULTS = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../bench/oracle/results.json'), 'utf8'));
const OPTIMIZERS: Record<string, Optimizer> = { adamw: 'adamw_torch', 'adamw-8bit': 'adamw_8bit', 'paged-adamw-8bit': 'paged_adamw_8bit', adafactor: 'adafactor', sgd: 'sgd' };
const TOLERANCE = 0.05;

function allocatedMib(row: Row): number {
  const model = findModel(row.model) as ModelEntry;
  const gpu = findGpu(row.gpu);
  const e = estimateMemory(model, gpu, defaultSettings(model, gpu, row.method, { seqLen: row.seq_len, batch: row.batch, optimizer: OPTIMIZERS[row.optimizer] }));
  return e.total_mib - e.breakdown.cuda_context - e.breakdown.allocator_overhead;
}

describe('the estimate held to traced training steps (bench/oracle)', () => {
  it('records the libraries it traced and at least the five rows of issue 16', () => {
    expect(Object.keys(RESULTS.versions)).toEqual(['torch', 'transformers', 'peft', 'trl', 'bitsandbytes']);
    expect(RESULTS.rows.length).toBeGreaterThanOrEqual(5);
  });

  it.each((RESULTS.rows as Row[]).map(r => [`${r.model} · ${r.gpu} · ${r.method} · ${r.seq_len} × ${r.batch} · ${r.optimizer}`, r]))('%s: within 5 %% of the trace', (_name, row) => {
    const r = row as Row;
    const ratio = allocatedMib(r) / r.traced_mib;
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(TOLERANCE);
  });
});
