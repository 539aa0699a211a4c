import * as fs from 'fs';
import * as path from 'path';
import { findGpu, gpuFromReport, GPU_PROFILES, GpuReportLike, parseMemorySize } from '../index';

const SMI = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../shared/fixtures/nvidia-smi.json'), 'utf8'));

/** The recorded nvidia-smi CSV as a probe would report it. */
function reportFrom(fixture: string): GpuReportLike {
  const stdout: string = SMI[fixture].stdout;
  return {
    gpus: stdout
      .trim()
      .split('\n')
      .map(line => line.split(',').map(s => s.trim()))
      .map(([, name, total, , free, cc]) => ({ name, memory_total_mib: Number(total), memory_free_mib: Number(free), compute_capability: cc }))
  };
}

describe('GPU profiles', () => {
  it('has every runtime the issue names, with unique ids', () => {
    const ids = GPU_PROFILES.map(p => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['t4', 'l4', 'a100-40gb', 'a100-80gb', 'h100-80gb', 'kaggle-p100', 'kaggle-2xt4', 'v100-16gb', 'rtx-3060', 'rtx-3090', 'rtx-4060-ti-16gb', 'rtx-4090', 'a10g', 'h200', 'apple-silicon', 'cpu']) {
      expect(ids).toContain(id);
    }
  });

  it('agrees with what nvidia-smi reported on the cards we have recordings of', () => {
    for (const [fixture, id] of [['colab-t4', 't4'], ['colab-l4', 'l4'], ['colab-a100-40gb', 'a100-40gb'], ['rtx-3060', 'rtx-3060'], ['rtx-4090', 'rtx-4090']]) {
      const [, name, total, , , cc] = SMI[fixture].stdout.split(',').map((s: string) => s.trim());
      const profile = findGpu(id);
      expect([profile.name, profile.memory_mib, profile.compute_capability]).toEqual([name, Number(total), cc]);
    }
  });

  it('a T4 gets no bf16 and no FlashAttention 2 but does 4-bit; a P100 does 4-bit too; an L4 does all', () => {
    expect(findGpu('t4')).toMatchObject({ bf16: false, flash_attention_2: false, bnb_4bit: true });
    expect(findGpu('kaggle-p100')).toMatchObject({ bf16: false, bnb_4bit: true, compute_capability: '6.0' });
    expect(findGpu('l4')).toMatchObject({ bf16: true, flash_attention_2: true, bnb_4bit: true });
    expect(findGpu('apple-silicon')).toMatchObject({ backend: 'mps', bnb_4bit: false });
    expect(findGpu('kaggle-2xt4').count).toBe(2);
  });

  it('reads sizes in GB as the GiB on the box, GiB and g', () => {
    expect(findGpu('24GiB').memory_mib).toBe(24576);
    expect(findGpu('12g').memory_mib).toBe(12288);
    expect(findGpu('24GB').memory_mib).toBe(24576);
    expect(parseMemorySize('-3GB')).toBeNull();
  });

  it('names the choices when the GPU is unknown', () => {
    expect(() => findGpu('voodoo5')).toThrow(/unknown GPU "voodoo5".*t4/);
    expect(() => findGpu('0GB')).toThrow(/unknown GPU/);
  });
});

describe('gpuFromReport', () => {
  it('maps a Colab T4 report to the t4 profile with its free memory', () => {
    const gpu = gpuFromReport(reportFrom('colab-t4'));
    expect(gpu).toMatchObject({ id: 't4', memory_mib: 15360, free_mib: 15095, bf16: false });
  });

  it('maps two T4s to the Kaggle profile', () => {
    expect(gpuFromReport(reportFrom('kaggle-2xt4'))).toMatchObject({ id: 'kaggle-2xt4', count: 2, free_mib: 14927 });
  });

  it('a busy T4 keeps the memory that is actually free', () => {
    expect(gpuFromReport(reportFrom('t4-busy')).free_mib).toBe(4611);
  });

  it('an unknown card works from its own memory and capability', () => {
    const gpu = gpuFromReport({ gpus: [{ name: 'NVIDIA RTX 6000 Ada Generation', memory_total_mib: 49140, memory_free_mib: 48000, compute_capability: '8.9' }] });
    expect(gpu).toMatchObject({ memory_mib: 49140, free_mib: 48000, bf16: true, flash_attention_2: true, backend: 'cuda' });
  });

  it('no GPU is a CPU runtime whose memory is its RAM; MPS is Apple', () => {
    expect(gpuFromReport({ gpus: [], ram_total_mib: 32000 })).toMatchObject({ id: 'cpu', memory_mib: 32000, ram_mib: 32000 });
    expect(gpuFromReport({ gpus: [], backend: 'mps' }).id).toBe('apple-silicon');
  });
});
