/**
 * Runtimes as the probe reports them (python_snippets/gpu_probe.py), for the view tests: the
 * nvidia-smi fixtures of ../shared/fixtures/nvidia-smi.json ("colab-t4", "t4-busy",
 * "no-driver") and a laptop without an NVIDIA driver.
 */
import type { GpuReport } from '../../core';

const PACKAGES = { torch: '2.13.0+cu126', transformers: '5.24.0', peft: '0.21.2', bitsandbytes: '0.50.2', trl: '1.16.0', accelerate: '1.15.0', modelscope: null };

function report(change: Partial<GpuReport>): GpuReport {
  return {
    schema_version: 1,
    platform: 'colab',
    backend: 'cuda',
    gpus: [],
    ram_total_mib: 12978,
    ram_available_mib: 11734,
    disk_free_mib: 80352,
    disk_path: '/root/.cache',
    python: '3.11.13',
    packages: PACKAGES,
    errors: [],
    elapsed_ms: 41,
    ...change
  };
}

const t4 = (used: number, free: number) => ({
  index: 0,
  name: 'Tesla T4',
  memory_total_mib: 15360,
  memory_used_mib: used,
  memory_free_mib: free,
  compute_capability: '7.5',
  driver_version: '550.54.15'
});

/** A fresh Colab T4: 15,095 MiB free. */
export const T4 = report({ gpus: [t4(0, 15095)] });

/** The same T4 after this kernel loaded a model: 10,484 MiB in use, 4,611 MiB free. */
export const BUSY_T4 = report({ gpus: [t4(10484, 4611)] });

/** A laptop: no nvidia-smi, 16 GiB of RAM. */
export const CPU_ONLY = report({
  platform: 'local',
  backend: 'cpu',
  ram_total_mib: 16000,
  ram_available_mib: 12000,
  packages: { ...PACKAGES, torch: '2.13.0+cpu', bitsandbytes: null },
  errors: [{ source: 'nvidia-smi', message: 'nvidia-smi is not on PATH (no NVIDIA driver here)' }]
});

/** nvidia-smi is there but the driver is not loaded (exit code 9). */
export const BROKEN_DRIVER = report({
  platform: 'local',
  backend: 'cpu',
  errors: [{ source: 'nvidia-smi', message: "nvidia-smi failed (exit code 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." }]
});
