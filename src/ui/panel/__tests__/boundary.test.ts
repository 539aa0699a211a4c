import * as fs from 'fs';
import * as path from 'path';

/**
 * One panel, two hosts: the panel's room (src/ui) and the widget (src/widget) run where
 * JupyterLab is absent (Colab, VS Code), so neither may import it, Lumino, or src/lab.
 */
const SRC = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(m => m[1] ?? m[2] ?? m[3]);
}

describe('the host-neutral rooms import nothing of JupyterLab', () => {
  const files = [...sources(path.join(SRC, 'ui')), ...sources(path.join(SRC, 'widget'))];

  it('finds the panel and the widget', () => {
    const names = files.map(f => path.relative(SRC, f));
    expect(names).toEqual(expect.arrayContaining(['ui/panel/Panel.tsx', 'ui/panel/advisor.ts', 'ui/panel/host.ts']));
  });

  it.each(files.map(f => [path.relative(SRC, f), f]))('%s', (_, file) => {
    const bad = imports(file).filter(spec => {
      if (spec.startsWith('@jupyterlab/') || spec.startsWith('@lumino/') || spec.startsWith('@jupyter/')) return true;
      if (!spec.startsWith('.')) return false;
      const target = path.resolve(path.dirname(file), spec);
      return target === path.join(SRC, 'lab') || target.startsWith(path.join(SRC, 'lab') + path.sep);
    });
    expect(bad).toEqual([]);
  });
});
