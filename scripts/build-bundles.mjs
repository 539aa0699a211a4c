// What the Python package runs besides the labextension, from tsc's lib/ into model_advisor/static/:
// - widget.js: the notebook widget's front end (src/widget) as one ES module for anywidget, with
//   React inside it (no JupyterLab to share it with in Colab or VS Code); widget.css its styles;
// - engine.js: the command line's commands (src/engine) as one script that defines the global
//   ModelAdvisorEngine, for an embedded JavaScript engine or node (model_advisor/engine.py).
//   node scripts/build-bundles.mjs            development: readable, with an inline source map
//   node scripts/build-bundles.mjs --release  production: minified, no source map
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const outDir = join(repo, 'model_advisor', 'static');

const common = {
  mode: release ? 'production' : 'development',
  devtool: release ? false : 'inline-source-map',
  resolve: { extensions: ['.js', '.json'] },
  performance: { hints: false },
  optimization: { minimize: release }
};

const widget = {
  ...common,
  entry: join(repo, 'lib', 'widget', 'index.js'),
  experiments: { outputModule: true },
  output: { path: outDir, filename: 'widget.js', module: true, library: { type: 'module' } }
};

// No file system in an embedded engine: the commands' node:fs and node:path calls go to
// src/engine's in-memory stand-ins. No source map: an engine has nowhere to show it.
const lib = join(repo, 'lib', 'engine');
const engine = {
  ...common,
  devtool: false,
  target: ['web', 'es2020'],
  entry: join(lib, 'index.js'),
  output: { path: outDir, filename: 'engine.js', library: { type: 'var', name: 'ModelAdvisorEngine' }, globalObject: 'globalThis' },
  plugins: [
    new webpack.NormalModuleReplacementPlugin(/^node:fs$/, join(lib, 'memfs.js')),
    new webpack.NormalModuleReplacementPlugin(/^node:path$/, join(lib, 'path.js'))
  ]
};

for (const config of [widget, engine]) {
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  if (stats.hasErrors()) {
    console.error(stats.toString({ all: false, errors: true }));
    process.exit(1);
  }
}

// The panel's own rules, then the widget's: the theme variables' defaults where no JupyterLab defines them.
mkdirSync(outDir, { recursive: true });
const css = [readFileSync(join(repo, 'style', 'base.css'), 'utf8'), readFileSync(join(repo, 'style', 'widget.css'), 'utf8')].join('\n');
writeFileSync(join(outDir, 'widget.css'), css);
for (const name of ['widget.js', 'engine.js']) {
  const size = readFileSync(join(outDir, name)).length;
  console.log(`model_advisor/static/${name} ${(size / 1024).toFixed(0)} KiB (${release ? 'release' : 'development'})`);
}
