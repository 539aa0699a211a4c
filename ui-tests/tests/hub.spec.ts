import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { openNotebook } from './notebooks';

/**
 * "Any model on the Hub": the learner types an id in the sidebar and the notebook's kernel
 * reads its config.json — here from a fake hub on 127.0.0.1 (tests/fake_hub.py; no internet
 * on test machines), which the kernel reaches through HF_ENDPOINT as a mirror would be.
 * Every failure is named in the status line; a success is chosen and estimated.
 */

// Issue 10's ports start at 9020 (COMMON: 8920 + 10 × N); 9021 has nobody listening.
const HUB_PORT = 9020;
const HUB = `http://127.0.0.1:${HUB_PORT}`;
const NOBODY = 'http://127.0.0.1:9021';

let hub: ChildProcess | null = null;

test.beforeAll(async () => {
  // Bounded: it stops by itself after 5 minutes, and afterAll stops it sooner.
  hub = spawn('python3', [path.resolve(__dirname, '../../tests/fake_hub.py'), '--port', String(HUB_PORT), '--seconds', '300', '--slow', '25'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    hub!.stdout!.once('data', () => resolve());
    hub!.once('exit', code => reject(new Error(`the fake hub exited (${code})`)));
  });
});

test.afterAll(() => {
  hub?.kill();
});

const sidebarOf = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor');

/** What a user on a mirror has done before: HF_ENDPOINT set in the kernel (here, by running a cell). */
async function useEndpoint(page: IJupyterLabPageFixture, url: string): Promise<void> {
  await page.notebook.setCell(0, 'code', `import os\nos.environ["HF_ENDPOINT"] = "${url}"`);
  await page.notebook.runCell(0);
}

async function askHub(page: IJupyterLabPageFixture, id: string): Promise<void> {
  const sidebar = sidebarOf(page);
  await sidebar.getByTestId('model-advisor-hub-id').fill(id);
  await sidebar.getByTestId('model-advisor-hub-fetch').click();
}

test.describe('Any Hub id, read by the kernel', () => {
  test('a model not in the catalog is chosen and estimated; gated, missing, remote-code and offline are named', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'hub.ipynb');
    await useEndpoint(page, HUB);
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    const status = sidebar.getByRole('status');

    // A Mistral config without num_key_value_heads: chosen, with its family's 8 KV heads priced.
    await askHub(page, 'ok/mistral-sharded');
    await expect(status).toHaveText('Chose ok/mistral-sharded (mistral) from the Hub; the cells download it by its id.');
    await expect(sidebar.getByRole('radio', { name: 'ok/mistral-sharded', exact: true })).toBeChecked();
    await expect(sidebar.getByTestId('model-advisor-verdict')).toHaveText(/GiB of 14\.7 GiB$/);
    await expect(sidebar).toContainText('ok/mistral-sharded · ');

    await askHub(page, 'gated/model');
    await expect(status).toHaveText('gated/model is gated or private: accept its licence on the model page, log in (HF_TOKEN or the login cell) and try again.');
    await askHub(page, 'nobody/missing');
    await expect(status).toHaveText('There is no model nobody/missing at this source: check the spelling (owner/name).');
    // The failures changed nothing: the Hub model is still the one chosen.
    await expect(sidebar.getByRole('radio', { name: 'ok/mistral-sharded', exact: true })).toBeChecked();

    // A family only its own code knows is chosen too: the estimator cannot count it, so the panel
    // offers the trace, and running the model's code waits for a second, warned click.
    await askHub(page, 'remote/code');
    await expect(status).toHaveText('Chose remote/code (mystery) from the Hub; the cells download it by its id.');
    await expect(sidebar.getByRole('radio', { name: 'remote/code', exact: true })).toBeChecked();
    const measure = sidebar.getByTestId('model-advisor-measure-button');
    await expect(measure).toHaveText("Measure exactly (runs the model's own code)…");
    await measure.click();
    await expect(sidebar.getByTestId('model-advisor-measure-warning')).toContainText('remote/code defines its architecture in its own Python code (trust_remote_code)');
    await sidebar.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(sidebar.getByTestId('model-advisor-measure-warning')).toBeHidden();
    await expect(sidebar.getByTestId('model-advisor-measure-trace')).toHaveCount(0);

    await useEndpoint(page, NOBODY);
    await askHub(page, 'ok/qwen-single');
    await expect(status).toHaveText('The kernel cannot reach the Hub for ok/qwen-single: it looks offline. Try another download source: a mirror or ModelScope.');
  });

  test('a hub that does not answer is a timeout, and the box is usable again', async ({ page, tmpPath }) => {
    test.setTimeout(120000);
    await openNotebook(page, tmpPath, 'slow.ipynb');
    await useEndpoint(page, HUB);
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await askHub(page, 'slow/model');
    await expect(sidebar.getByRole('status')).toHaveText('Reading the config.json of slow/model through the kernel…');
    await expect(sidebar.getByTestId('model-advisor-hub-fetch')).toBeDisabled();
    await expect(sidebar.getByRole('status')).toHaveText('The Hub did not answer in time for slow/model: the network may be slow or blocked. Try a mirror or ModelScope.', { timeout: 40000 });
    await expect(sidebar.getByTestId('model-advisor-hub-fetch')).toBeEnabled();
  });

  test('"Your recipe" is collapsed; eager attention raises the estimate, and the keyboard reaches it', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'recipe.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    const recipe = sidebar.getByTestId('model-advisor-recipe');
    await expect(recipe).not.toHaveAttribute('open', '');
    await expect(sidebar.getByTestId('model-advisor-recipe-attention')).toBeHidden();
    const total = async () => Number(((await sidebar.getByTestId('model-advisor-breakdown').getByRole('row', { name: /^Activations / }).textContent()) ?? '').replace(/\D/g, ''));
    const before = await total();
    await recipe.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(sidebar.getByTestId('model-advisor-recipe-attention')).toBeVisible();
    await sidebar.getByTestId('model-advisor-seq-len').fill('4096');
    const sdpa = await total();
    await sidebar.getByTestId('model-advisor-recipe-attention').selectOption('eager');
    await expect.poll(total).toBeGreaterThan(sdpa);
    expect(sdpa).toBeGreaterThanOrEqual(before);
  });
});
