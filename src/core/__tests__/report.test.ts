import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { parseGpuReport, GpuReport, GpuInfo } from '../report';

/** Reports as the probe prints them for the runtimes of ../shared/fixtures/nvidia-smi.json. */
const PACKAGES = {
  torch: '2.13.0+cu126',
  transformers: '5.24.0',
  peft: '0.21.2',
  bitsandbytes: '0.50.2',
  trl: '1.16.0',
  accelerate: '1.15.0',
  modelscope: null
};

function t4(index: number, used: number, free: number, driver: string): GpuInfo {
  return {
    index,
    name: 'Tesla T4',
    memory_total_mib: 15360,
    memory_used_mib: used,
    memory_free_mib: free,
    compute_capability: '7.5',
    driver_version: driver
  };
}

const COLAB_T4: GpuReport = {
  schema_version: 1,
  platform: 'colab',
  backend: 'cuda',
  gpus: [t4(0, 0, 15095, '550.54.15')],
  ram_total_mib: 12978,
  ram_available_mib: 11734,
  disk_free_mib: 80352,
  disk_path: '/root/.cache',
  python: '3.11.13',
  packages: PACKAGES,
  errors: [],
  elapsed_ms: 41.7
};

const KAGGLE_2XT4: GpuReport = {
  ...COLAB_T4,
  platform: 'kaggle',
  gpus: [t4(0, 3, 14927, '560.35.03'), t4(1, 3, 14927, '560.35.03')],
  ram_total_mib: 32102,
  disk_path: '/kaggle/working'
};

/** A driver too old for compute_cap: the card is known, its capability is not. */
const OLD_DRIVER: GpuReport = {
  ...COLAB_T4,
  platform: 'local',
  gpus: [
    {
      index: 0,
      name: 'Tesla V100-SXM2-16GB',
      memory_total_mib: 16160,
      memory_used_mib: 0,
      memory_free_mib: 15780,
      compute_capability: null,
      driver_version: '450.80.02'
    }
  ]
};

/** MIG mode: memory use reads [N/A]; the container's RAM and disk could not be read either. */
const MIG_PARTIAL: GpuReport = {
  ...COLAB_T4,
  platform: 'local',
  gpus: [{ ...t4(0, 0, 0, '550.54.15'), name: 'NVIDIA A100-SXM4-40GB', memory_total_mib: 40960, memory_used_mib: null, memory_free_mib: null, compute_capability: '8.0' }],
  ram_total_mib: null,
  ram_available_mib: null,
  disk_free_mib: null,
  disk_path: null,
  packages: { ...PACKAGES, torch: null, bitsandbytes: null },
  errors: [{ source: 'ram', message: 'system memory is not readable here' }]
};

const NO_DRIVER: GpuReport = {
  ...COLAB_T4,
  platform: 'local',
  backend: 'cpu',
  gpus: [],
  errors: [
    {
      source: 'nvidia-smi',
      message: "nvidia-smi failed (exit code 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
    }
  ]
};

const HUNG: GpuReport = {
  ...NO_DRIVER,
  errors: [{ source: 'nvidia-smi', message: 'nvidia-smi did not answer within 1 s and was stopped' }],
  elapsed_ms: 1004.2
};

const APPLE: GpuReport = { ...NO_DRIVER, backend: 'mps', errors: [], packages: { ...PACKAGES, torch: '2.13.0', bitsandbytes: null } };

const VALID: Record<string, GpuReport> = {
  'colab-t4': COLAB_T4,
  'kaggle-2xt4': KAGGLE_2XT4,
  'old-driver': OLD_DRIVER,
  'mig, nothing else readable': MIG_PARTIAL,
  'no-driver': NO_DRIVER,
  hang: HUNG,
  'apple silicon': APPLE
};

/** The report with one field (a dotted path, "gpus.0.name") replaced, or removed when value is undefined. */
function withField(report: GpuReport, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(report));
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce((o, k) => o[k], copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

function errorOf(input: unknown): string {
  const result = parseGpuReport(input);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return result.error;
}

describe('parseGpuReport on what the probe prints', () => {
  it.each(Object.entries(VALID))('reads the %s report, as printed and as a value', (_case, report) => {
    expect(parseGpuReport(JSON.stringify(report))).toEqual({ ok: true, report });
    expect(parseGpuReport(report)).toEqual({ ok: true, report });
  });

  it('gives the sidebar the Colab T4 as the probe saw it', () => {
    const result = parseGpuReport(JSON.stringify(COLAB_T4));
    if (!result.ok) throw new Error(result.error);
    expect(result.report.gpus[0].name).toBe('Tesla T4');
    expect(result.report.gpus[0].memory_free_mib).toBe(15095);
    expect(result.report.gpus[0].compute_capability).toBe('7.5');
  });

  it('keeps nulls as nulls: an unknown value is never turned into a number', () => {
    const result = parseGpuReport(MIG_PARTIAL);
    if (!result.ok) throw new Error(result.error);
    expect(result.report.gpus[0].memory_free_mib).toBeNull();
    expect(result.report.ram_total_mib).toBeNull();
    expect(result.report.packages.torch).toBeNull();
  });

  it('drops fields it does not know, so a newer probe does not break this sidebar', () => {
    const newer = {
      ...COLAB_T4,
      mig: false,
      gpus: [{ ...COLAB_T4.gpus[0], uuid: 'GPU-5e4c', power_limit_w: 70 }],
      packages: { ...PACKAGES, unsloth: '2026.1' }
    };
    expect(parseGpuReport(JSON.stringify(newer))).toEqual({ ok: true, report: COLAB_T4 });
  });
});

describe('parseGpuReport on what is not a report', () => {
  it('names a schema version it cannot read', () => {
    expect(errorOf({ ...COLAB_T4, schema_version: 2 })).toBe(
      'invalid GPU report: schema_version 2 is not supported: this advisor reads GPU reports of version 1'
    );
    expect(errorOf(withField(COLAB_T4, 'schema_version', undefined))).toContain('schema_version nothing is not supported');
  });

  it('says when the output is not JSON at all', () => {
    expect(errorOf('Traceback (most recent call last):')).toBe(
      'the probe\'s output is not JSON: "Traceback (most recent call last):"'
    );
    expect(errorOf('')).toContain('not JSON');
  });

  it.each([
    ['gpus.0.memory_total_mib', '15 GB', 'gpus[0].memory_total_mib: expected a whole number ≥ 0, got "15 GB"'],
    ['gpus.0.memory_free_mib', -1, 'gpus[0].memory_free_mib: expected a whole number ≥ 0, got -1'],
    ['gpus.0.memory_used_mib', 1.5, 'gpus[0].memory_used_mib: expected a whole number ≥ 0, got 1.5'],
    ['gpus.0.compute_capability', '7,5', 'gpus[0].compute_capability: expected a compute capability such as "7.5", or null, got "7,5"'],
    ['gpus.0.compute_capability', 7.5, 'gpus[0].compute_capability: expected a compute capability such as "7.5", or null, got 7.5'],
    ['gpus.0.name', null, 'gpus[0].name: expected a string, got null'],
    ['gpus.0.index', '0', 'gpus[0].index: expected a whole number ≥ 0, got "0"'],
    ['gpus.0', 'Tesla T4', 'gpus[0]: expected an object, got "Tesla T4"'],
    ['gpus', { count: 2 }, 'gpus: expected a list, got {"count":2}'],
    ['platform', 'azure', 'platform: expected one of colab, kaggle, local, got "azure"'],
    ['backend', 'tpu', 'backend: expected one of cuda, mps, rocm, cpu, got "tpu"'],
    ['ram_total_mib', '12 GiB', 'ram_total_mib: expected a whole number ≥ 0, got "12 GiB"'],
    ['disk_path', 42, 'disk_path: expected a string or null, got 42'],
    ['python', null, 'python: expected a string, got null'],
    ['packages.peft', 0.21, 'packages.peft: expected a string or null, got 0.21'],
    ['packages', null, 'packages: expected an object, got null'],
    ['errors.0', 'nvidia-smi failed', 'errors[0]: expected an object, got "nvidia-smi failed"'],
    ['elapsed_ms', -3, 'elapsed_ms: expected a number ≥ 0, got -3']
  ])('rejects %s = %j with the reason', (path, value, reason) => {
    // Two GPUs and an error: a report with something at every path changed here.
    expect(errorOf(withField({ ...KAGGLE_2XT4, errors: HUNG.errors }, path, value))).toBe(
      `invalid GPU report: ${reason}`
    );
  });

  it.each([['[]'], ['null'], ['42'], ['"a string"']])('rejects %s, which is JSON but not an object', json => {
    expect(errorOf(json)).toMatch(/^invalid GPU report: report: expected an object, got /);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json()), value => {
        const result = parseGpuReport(value);
        return result.ok === false || result.report.schema_version === 1;
      })
    );
  });
});

describe('parseGpuReport and schema/gpu-report.schema.json agree', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schema', 'gpu-report.schema.json'), 'utf8'));
  const required: Array<[string, string]> = [
    ...schema.required.map((f: string) => [f, f] as [string, string]),
    ...schema.$defs.gpu.required.map((f: string) => [`gpus.0.${f}`, `gpus[0].${f}`] as [string, string]),
    ...schema.properties.packages.required.map((f: string) => [`packages.${f}`, `packages.${f}`] as [string, string])
  ];

  it.each(required)('a report without %s is rejected, and the reason names it', (path, shown) => {
    expect(errorOf(withField(COLAB_T4, path, undefined))).toContain(shown);
  });

  it('reads every field the schema lists, and only those', () => {
    const result = parseGpuReport(COLAB_T4);
    if (!result.ok) throw new Error(result.error);
    expect(Object.keys(result.report).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(Object.keys(result.report.gpus[0]).sort()).toEqual(Object.keys(schema.$defs.gpu.properties).sort());
    expect(Object.keys(result.report.packages).sort()).toEqual(Object.keys(schema.properties.packages.properties).sort());
  });
});
