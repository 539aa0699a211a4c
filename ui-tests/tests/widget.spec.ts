import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import { openNotebook } from './notebooks';

// Issue 9's extra ports start at 8990 (the Notebook 7 spec takes 8990).
const HUB = 'http://127.0.0.1:8991';
let hub: ChildProcess | null = null;

/**
 * `model_advisor.show()` in a JupyterLab notebook: the same panel as the sidebar, in the cell's
 * output, with the runtime measured in the kernel (the fake nvidia-smi: a Colab T4). With our
 * extension loaded, "Insert cells" goes through it (no kernel round trip) below the widget's cell.
 */
test.describe('The advisor as a notebook widget', () => {
  test('renders in the output with the kernel’s T4, and inserts cells below its cell through the extension', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'widget.ipynb');
    await page.notebook.setCell(0, 'code', 'import model_advisor\nw = model_advisor.show()');
    await page.notebook.addCell('code', 'after = 1');
    await page.notebook.runCell(0);

    const widget = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea-output .jp-ModelAdvisor-widget');
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await expect(widget.getByTestId('model-advisor-models').getByRole('radio').first()).toBeChecked();
    // The whole widget in the light theme, with the extension loaded (widget_hosts.spec.ts draws the README's pictures).
    await page.setViewportSize({ width: 1000, height: 2400 });
    await widget.screenshot({ path: test.info().outputPath('widget-lab.png') });
    await page.setViewportSize({ width: 1280, height: 720 });

    // Beside the sidebar (the extension's own copy of the panel), each keeps its own choice: with one
    // radio name for every panel, the sidebar opened with nothing selected and a click raised React error #90.
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = page.locator('#jp-model-advisor').getByTestId('model-advisor-models').getByRole('radio');
    await expect(sidebar.first()).toBeChecked();
    await sidebar.nth(1).check();
    await expect(sidebar.nth(1)).toBeChecked();
    await expect(widget.getByTestId('model-advisor-models').getByRole('radio').first()).toBeChecked();
    expect(errors).toEqual([]);
    await page.sidebar.close('left');

    // "Check again" asks the kernel, which measures again and answers.
    await widget.getByRole('button', { name: 'Check again' }).click();
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');

    const before = await page.notebook.getCellCount();
    await widget.getByTestId('model-advisor-insert-loading').click();
    await expect(widget.getByRole('status')).toContainText('through the JupyterLab extension');
    await expect(widget).toHaveAttribute('data-insert-path', 'extension');
    const added = (await page.notebook.getCellCount()) - before;
    expect(added).toBeGreaterThan(0);
    await expect(widget.getByRole('status')).toHaveText(`Inserted ${added} cells below this output (through the JupyterLab extension).`);
    // Below the widget's own cell, above the cell that followed it.
    const sources: string[] = [];
    for (let i = 1; i <= added; i++) sources.push((await page.notebook.getCellTextInput(i)) ?? '');
    expect(sources.join('\n')).toContain('AutoModelForCausalLM.from_pretrained(');
    expect(await page.notebook.getCellTextInput(added + 1)).toBe('after = 1');
  });

  test.describe('with a fake Hub', () => {
    test.beforeAll(async () => {
      hub = spawn('python3', [path.resolve(__dirname, '../../tests/fake_hub.py'), '--port', '8991', '--seconds', '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        hub!.stdout!.once('data', () => resolve());
        hub!.once('exit', code => reject(new Error(`the fake hub exited (${code})`)));
      });
    });

    test.afterAll(() => {
      hub?.kill();
    });

    test('any model on the Hub: the widget’s kernel reads its config.json, and it is chosen', async ({ page, tmpPath }) => {
      await openNotebook(page, tmpPath, 'widget-hub.ipynb');
      await page.notebook.setCell(0, 'code', `import os\nos.environ["HF_ENDPOINT"] = "${HUB}"\nimport model_advisor\nw = model_advisor.show()`);
      await page.notebook.runCell(0);
      const widget = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea-output .jp-ModelAdvisor-widget');
      await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
      await widget.getByTestId('model-advisor-hub-id').fill('ok/mistral-sharded');
      await widget.getByTestId('model-advisor-hub-fetch').click();
      await expect(widget.getByRole('status')).toHaveText('Chose ok/mistral-sharded (mistral) from the Hub; the cells download it by its id.');
      await expect(widget.getByRole('radio', { name: 'ok/mistral-sharded', exact: true })).toBeChecked();
      await widget.getByTestId('model-advisor-hub-id').fill('nobody/missing');
      await widget.getByTestId('model-advisor-hub-fetch').click();
      await expect(widget.getByRole('status')).toHaveText('There is no model nobody/missing at this source: check the spelling (owner/name).');
      // Said under the box too, where the user typed the id.
      await expect(widget.getByTestId('model-advisor-hub-message')).toHaveText('There is no model nobody/missing at this source: check the spelling (owner/name).');
    });
  });
});
