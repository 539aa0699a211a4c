import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { openNotebook } from './notebooks';

/**
 * What the GPU actually did (issue 20 item 5), in a real JupyterLab on the fake Colab T4: the
 * time on the card and in the Estimate section; a train record written into the server's folder
 * read back into the panel (silently, by the kernel) beside the estimate; "use the measured peak"
 * kept in JupyterLab's settings and dropped again; a broken record, written by a cell, ignored
 * in one line.
 */

const sidebarOf = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor');

function record(model: string, gpu: string): Record<string, unknown> {
  return {
    format: 'model-advisor-run', version: 1, advisor: '0.1.0', date: '2026-12-02T18:30:05+00:00',
    model, method: 'qlora', settings: { batch: 4, grad_accum: 4, seq_len: 1024, max_steps: 60, gradient_checkpointing: true, dtype: 'nf4' },
    planned_gpu: gpu, gpu, gpu_count: 1, simulated: false,
    peak_mib: { measured: 10000, allocated: 9100, estimated: 5000 },
    tokens_per_second: { measured: 3100.4, estimated: 4272 }, steps: 60, tokens: 983040, seconds: 317.1
  };
}

test('the time on the card and in the Estimate; a train record read back into the panel, calibrated, dropped, and a broken one ignored', async ({ page, tmpPath }) => {
  test.setTimeout(150000);
  await openNotebook(page, tmpPath, 'runs.ipynb');
  await page.sidebar.openTab('jp-model-advisor');
  const sidebar = sidebarOf(page);
  await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
  await sidebar.getByLabel('Method', { exact: true }).selectOption('qlora');
  const radio = sidebar.getByRole('radio', { checked: true });
  const model = await radio.inputValue();
  // `has` is matched inside each card, so it takes a locator from the page root, not the sidebar's.
  const card = sidebar.locator('.jp-ModelAdvisor-model').filter({ has: page.getByRole('radio', { checked: true }) });

  // How long: on the chosen card and in the Estimate section.
  await expect(card.getByTestId('model-advisor-card-time')).toHaveText(/^about (\d+ h )?\d+ min for the first 60 steps$/);
  await expect(sidebar.getByTestId('model-advisor-time')).toContainText(/About [\d,]+ tokens\/s of training on Tesla T4/);
  await expect(sidebar.getByTestId('model-advisor-run')).toHaveCount(0);

  // The record a train cell leaves, in the folder the cells save to (beside the notebook).
  const folder = `${tmpPath}/outputs/${model.split('/').pop()}-qlora`;
  await page.contents.uploadContent(JSON.stringify(record(model, 'Tesla T4')), 'text', `${folder}/model-advisor-run.json`);
  const before = await page.notebook.getCellCount();
  await sidebar.getByRole('button', { name: 'Check again' }).click();
  const run = sidebar.getByTestId('model-advisor-run');
  await expect(run).toContainText('Measured on Tesla T4 on 2026-12-02 18:30 UTC, at batch 4 × 4, 1,024 tokens, 60 steps');
  await expect(sidebar.getByTestId('model-advisor-run-peak')).toHaveText('Peak memory: 10,000 MiB measured, 5,000 MiB estimated (× 2.00).');
  await expect(sidebar.getByTestId('model-advisor-run-speed')).toHaveText('Speed: 3,100 tokens/s measured, 4,272 tokens/s estimated.');
  // Read silently: nothing in the notebook, no execution count.
  expect(await page.notebook.getCellCount()).toBe(before);

  // "Use the measured peak", by keyboard: kept in the settings, the verdict and the card use it.
  const verdict = sidebar.getByTestId('model-advisor-verdict');
  const estimated = await verdict.textContent();
  const use = sidebar.getByRole('button', { name: 'Use the measured peak for this runtime' });
  await use.focus();
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveAttribute('data-calibrated', 'true');
  await expect(verdict).not.toHaveText(estimated!);
  await expect(card.getByTestId('model-advisor-card-verdict')).toHaveText((await verdict.textContent())!);
  await expect(sidebar.getByTestId('model-advisor-calibrated')).toContainText('Calibrated from your run on 2026-12-02 18:30 UTC');
  // Read from the page, as JupyterLab does: Galata keeps this test's settings in the page's routes (mockSettings),
  // so a request from outside the page would see the server's file, which the test never writes. `settings` is the
  // user's settings parsed (`raw` is JSON5, with JupyterLab's comments).
  const settings = async () =>
    page.evaluate(async () => (await (await fetch('/lab/api/settings/jupyterlab-model-advisor:plugin')).json()).settings ?? {});
  await expect.poll(async () => (await settings()).calibrations?.map((c: { model: string; ratio: number }) => [c.model, c.ratio])).toEqual([[model, 2]]);

  // Reversible, by keyboard too: dropped, the estimate's own verdict again, and gone from the settings.
  await sidebar.getByRole('button', { name: 'Drop the calibration' }).focus();
  await page.keyboard.press('Space');
  await expect(verdict).toHaveText(estimated!);
  await expect(verdict).not.toHaveAttribute('data-calibrated', 'true');
  await expect.poll(async () => (await settings()).calibrations).toEqual([]);
  await expect(sidebar.getByTestId('model-advisor-calibrated')).toHaveCount(0);
  await expect(use).toBeVisible();

  // A cell that leaves a broken record: read again once it ran, ignored in one line.
  await page.notebook.setCell(0, 'code', `open(${JSON.stringify(`outputs/${model.split('/').pop()}-qlora/model-advisor-run.json`)}, "w").write("{not json")`);
  await page.notebook.runCell(0);
  await expect(sidebar.getByTestId('model-advisor-run-ignored')).toHaveText(/^The run record outputs\/.+\/model-advisor-run\.json is ignored: the advisor cannot read it \(JSONDecodeError: .+\)\.$/);
  await expect(sidebar.getByTestId('model-advisor-run-peak')).toHaveCount(0);
  await expect(use).toHaveCount(0);
});
