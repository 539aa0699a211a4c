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

  it('runs as the installed bin, lib/cli.js, under plain node', () => {
    // The built file is what `npm install -g` links as `model-advisor`; build:lib made it.
    const cli = path.join(__dirname, '..', '..', '..', 'lib', 'cli.js');
    expect(execFileSync('node', [cli, '--version'], { encoding: 'utf8' })).toBe(`${pkg.version}\n`);
    const bad = spawnSync('node', [cli, 'fit', 'x/y', '--gpu', 't4', '--method', 'qlora'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
