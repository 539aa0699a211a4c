import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { main } from '../../cli';

const pkg = require('../../../package.json');

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, s => (out += s), s => (err += s));
  return { code, out, err };
}

describe('model-advisor, the command line', () => {
  it('prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('lists every command in --help, each with its usage and what it does', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['params', 'fit', 'recommend', 'gpus', 'models', 'cells', 'notebook']) {
      expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('answers an unknown command with one line and exit 2', async () => {
    const { code, out, err } = await run(['fitt']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('model-advisor: unknown command "fitt"; try --help\n');
  });

  it('refuses an unknown option in one line and writes nothing, in every command', async () => {
    // A typo such as --seq_len for --seq-len used to be ignored: the cells kept the default.
    const cases = [
      ['cells', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '--bogus', '1'],
      ['cells', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '--seq_len', '4096'],
      ['notebook', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '-o', 'x.ipynb', '--bogus=1'],
      ['fit', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '--method', 'qlora', '--batchsize', '2'],
      ['recommend', '--gpu', 't4', '--task', 'chat', '--language', 'zh', '--top', '3'],
      ['params', 'config.json', '--verbose'],
      ['gpus', '--all']
    ];
    for (const argv of cases) {
      const { code, out, err } = await run(argv);
      const flag = argv.find(a => a.startsWith('--') && !['--gpu', '--method', '--task', '--language'].includes(a))!.replace(/=.*/, '');
      expect({ argv, code, out }).toEqual({ argv, code: 2, out: '' });
      expect(err.startsWith(`model-advisor: unknown option ${flag}`)).toBe(true);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('still takes every option its help names', async () => {
    const ok = await run(['cells', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '--method', 'qlora', '--task', 'chat', '--seq-len', '512', '--batch', '2', '--grad-accum', '2', '--max-steps', '5', '--lang', 'zh-Hant', '--data-lang', 'zh', '--source', 'mirror', '--save-dir', 'out', '--cache-dir', 'cache', '--simulate-on-cpu']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const fit = await run(['fit', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu', 't4', '--method', 'lora', '--seq-len', '512', '--batch', '2', '--lora-r', '8', '--lora-alpha', '16', '--optimizer', 'adamw', '--attention', 'eager', '--loss', 'chunked', '--json']);
    expect(fit.err).toBe('');
    expect(fit.code).toBe(0);
  });

  it('runs as the installed bin, lib/cli.js, under plain node', () => {
    // The built file is what `npm install -g` links as `model-advisor`; build:lib made it.
    const cli = path.join(__dirname, '..', '..', '..', 'lib', 'cli.js');
    expect(execFileSync('node', [cli, '--version'], { encoding: 'utf8' })).toBe(`${pkg.version}\n`);
    const bad = spawnSync('node', [cli, 'fit', 'x/y', '--gpu', 't4', '--method', 'qlora'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
