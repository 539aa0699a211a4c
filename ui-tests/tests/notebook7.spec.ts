import * as fs from 'fs';
import { expect, test } from '@playwright/test';
import { JupyterServer, startJupyter } from './servers';

/**
 * The same widget in Jupyter Notebook 7 (`jupyter notebook`), started here beside the Galata
 * JupyterLab, with our JupyterLab extension turned off (servers.ts): a Notebook 7 or a
 * JupyterLab that has not loaded it. The widget then has no way to insert cells, says so, and
 * copies them; "Copy all" and "Download .ipynb" always work.
 */
const port = Number(process.env.UI_TEST_NB_PORT ?? '8990');
let server: JupyterServer | null = null;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startJupyter('notebook', port);
  base = server.base;
});

test.afterAll(() => {
  server?.stop();
  server = null;
});

test('the widget renders in Notebook 7; without the extension it copies, and Copy all and Download .ipynb work', async ({ page, context }) => {
  test.setTimeout(300_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.goto(await server!.notebook('widget.ipynb', ['import model_advisor\nw = model_advisor.show()']));
  const cell = page.locator('.jp-Cell').first();
  const widget = cell.locator('.jp-ModelAdvisor-widget');
  await expect(cell.locator('.jp-InputArea-editor')).toBeVisible({ timeout: 120_000 });
  // Run the cell once the kernel takes it (a run asked before the kernel is up is dropped).
  await expect(async () => {
    if ((await cell.locator('.jp-InputPrompt').textContent())?.includes('[ ]')) {
      await cell.locator('.jp-InputArea-editor').click();
      await page.getByRole('button', { name: 'Run this cell and advance (Shift+Enter)' }).click();
    }
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB', { timeout: 20_000 });
  }).toPass({ timeout: 180_000 });
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
