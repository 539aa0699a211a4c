import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, test } from '@playwright/test';

/**
 * The same widget in Jupyter Notebook 7 (`jupyter notebook`), started here beside the Galata
 * JupyterLab, with our JupyterLab extension turned off (page config in a config dir of its own):
 * a Notebook 7 or a JupyterLab that has not loaded it. The widget then has no way to insert
 * cells, says so, and copies them; "Copy all" and "Download .ipynb" always work.
 */
const repo = path.resolve(__dirname, '..', '..');
const port = Number(process.env.UI_TEST_NB_PORT ?? '8990');
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | null = null;
let root = '';

async function waitForServer(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`jupyter notebook did not answer on ${base}`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'model-advisor-nb7-'));
  const bin = path.join(root, 'bin');
  const config = path.join(root, 'config');
  const notebooks = path.join(root, 'notebooks');
  fs.mkdirSync(path.join(config, 'labconfig'), { recursive: true });
  fs.mkdirSync(notebooks);
  // The fake nvidia-smi answers like a Colab T4, as for the Galata JupyterLab.
  execFileSync(path.join(repo, '.venv', 'bin', 'python'), [path.join(repo, 'tests', 'fake_nvidia_smi.py'), '--install', bin, '--case', 'colab-t4']);
  fs.writeFileSync(path.join(config, 'labconfig', 'page_config.json'), JSON.stringify({ disabledExtensions: { 'jupyterlab-model-advisor': true } }));
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [{ cell_type: 'code', id: 'show', source: 'import model_advisor\nw = model_advisor.show()', metadata: {}, outputs: [], execution_count: null }]
  };
  fs.writeFileSync(path.join(notebooks, 'widget.ipynb'), JSON.stringify(notebook));
  const args = ['notebook', '--no-browser', `--port=${port}`, '--ip=127.0.0.1', `--ServerApp.root_dir=${notebooks}`, '--IdentityProvider.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True'];
  if (process.getuid?.() === 0) args.push('--allow-root');
  server = spawn(path.join(repo, '.venv', 'bin', 'jupyter'), args, {
    env: { ...process.env, PATH: `${bin}:${path.join(repo, '.venv', 'bin')}:${process.env.PATH}`, JUPYTER_CONFIG_DIR: config },
    stdio: 'ignore',
    detached: true
  });
  await waitForServer(Date.now() + 90_000);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  server = null;
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('the widget renders in Notebook 7; without the extension it copies, and Copy all and Download .ipynb work', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.goto(`${base}/notebooks/widget.ipynb`);
  const cell = page.locator('.jp-Cell').first();
  const widget = cell.locator('.jp-ModelAdvisor-widget');
  // Run the cell once the kernel takes it (a run asked before the kernel is up is dropped).
  await expect(async () => {
    if ((await cell.locator('.jp-InputPrompt').textContent())?.includes('[ ]')) {
      await cell.locator('.jp-InputArea-editor').click();
      await page.getByRole('button', { name: 'Run this cell and advance (Shift+Enter)' }).click();
    }
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB', { timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await widget.screenshot({ path: test.info().outputPath('widget-notebook7.png') });

  // No extension: nobody answers the widget's insert request, so it copies and says so.
  const cells = await page.locator('.jp-Cell').count();
  await widget.getByTestId('model-advisor-insert-loading').click();
  await expect(widget).toHaveAttribute('data-insert-path', 'copy');
  await expect(widget.getByRole('status')).toContainText('This notebook lets no widget insert cells: copied');
  expect(await page.locator('.jp-Cell').count()).toBe(cells);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('AutoModelForCausalLM.from_pretrained(');

  // "Copy all": every ticked step, as one percent-format script.
  await widget.getByTestId('model-advisor-copy-all').click();
  await expect(widget.getByRole('status')).toContainText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.startsWith('# %% [markdown]\n')).toBe(true);
  expect(copied).toContain('# %%\n');
  expect(copied).toContain('trainer.train()');

  // "Download .ipynb": a notebook with the same cells.
  const [download] = await Promise.all([page.waitForEvent('download'), widget.getByTestId('model-advisor-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^[\w.-]+\.ipynb$/);
  const notebook = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(notebook.nbformat).toBe(4);
  const code = notebook.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] }) => c.source.join(''));
  expect(code.join('\n')).toContain('trainer.train()');
  await expect(widget.getByRole('status')).toContainText(`as ${download.suggestedFilename()}`);
});
