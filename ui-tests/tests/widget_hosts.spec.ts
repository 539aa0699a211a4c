import * as fs from 'fs';
import * as path from 'path';
import { expect, Locator, Page, test } from '@playwright/test';
import { JupyterServer, setTheme, startJupyter } from './servers';

/**
 * The widget where it is all a user has: Notebook 7 and JupyterLab, both without our
 * extension (issue 21). What it must do there: display once from the README's snippet, fit one
 * screen with its actions in view, keep two panels apart, and say when its kernel is gone.
 */
// Beside notebook7.spec.ts (UI_TEST_NB_PORT, 8990) and the fake Hub (8991): two ports of their own.
const first = Number(process.env.UI_TEST_NB_PORT ?? '8990') + 2;
const HOSTS = [
  { app: 'notebook' as const, name: 'Notebook 7', port: first },
  { app: 'lab' as const, name: 'JupyterLab without the extension', port: first + 1 }
];
const README = 'import model_advisor\nmodel_advisor.show()';
const docs = path.resolve(__dirname, '..', '..', 'docs');
/** The pictures the README shows (every combination is in the test's output). */
const DOC_SHOTS = new Set(['widget-notebook7-en-light.png', 'widget-notebook7-en-dark.png', 'widget-notebook7-zh-Hant-light.png', 'widget-lab-en-light.png', 'widget-lab-zh-Hant-dark.png']);

/** Run a cell once its kernel takes it (a run asked before the kernel is up is dropped), until `ready` holds. */
async function runCell(page: Page, cell: Locator, ready: () => Promise<void>): Promise<void> {
  await expect(cell.locator('.jp-InputArea-editor')).toBeVisible({ timeout: 120_000 });
  try {
    await expect(async () => {
      if (!/\[\d+\]/.test((await cell.locator('.jp-InputPrompt').textContent()) ?? '')) {
        await cell.locator('.jp-InputArea-editor').click();
        await page.keyboard.press('Shift+Enter');
      }
      await ready();
    }).toPass({ timeout: 180_000 });
  } catch (e) {
    // What the page showed instead, for whoever reads the failure.
    await page.screenshot({ path: test.info().outputPath('run-failed.png') });
    throw e;
  }
}

const T4 = 'Tesla T4 · 15.0 GiB';

for (const host of HOSTS) {
  test.describe(`the widget in ${host.name}`, () => {
    let server: JupyterServer;
    test.beforeAll(async () => {
      test.setTimeout(120_000);
      server = await startJupyter(host.app, host.port);
    });
    test.afterEach(() => server?.shutdownKernels());
    test.afterAll(() => server?.stop());

    test('the README snippet shows one panel, one screen tall at 1400×1000, its actions in view (light and dark, English and 繁體中文)', async ({ page }) => {
      test.setTimeout(600_000);
      await page.setViewportSize({ width: 1400, height: 1000 });
      // Notebook 7 in all four; JupyterLab (slower to start a page) in English light and 繁體中文 dark.
      const combos = host.app === 'notebook' ? ([['en', false], ['en', true], ['zh-Hant', false], ['zh-Hant', true]] as const) : ([['en', false], ['zh-Hant', true]] as const);
      for (const [lang, dark] of combos) {
        await setTheme(server.base, dark);
        const source = lang === 'en' ? README : `import model_advisor\nmodel_advisor.show(language="${lang}")`;
        await page.goto(await server.notebook(`readme-${lang}-${dark ? 'dark' : 'light'}.ipynb`, [source, 'after = 1']));
        const cell = page.locator('.jp-Cell').first();
        const widget = cell.locator('.jp-ModelAdvisor-widget');
        await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
        await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', dark ? 'false' : 'true');
        // One panel, not a second one as Out[1] (item 1).
        await expect(cell.locator('.jp-ModelAdvisor-widget')).toHaveCount(1);
        await expect(widget.getByRole('radio').first()).toBeChecked();
        await widget.evaluate(el => el.scrollIntoView({ block: 'start' }));
        // The whole panel in one screen: its bottom edge and its actions inside the notebook's visible area.
        const area = await page.locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer').boundingBox();
        const box = await widget.boundingBox();
        expect(area && box).toBeTruthy();
        expect(box!.height).toBeLessThanOrEqual(area!.height);
        expect(box!.y + box!.height).toBeLessThanOrEqual(area!.y + area!.height + 1);
        for (const id of ['model-advisor-insert-cells', 'model-advisor-insert-loading', 'model-advisor-copy-all', 'model-advisor-download']) {
          await expect(widget.getByTestId(id)).toBeInViewport({ ratio: 1 });
        }
        console.log(`widget height, ${host.app} ${lang} ${dark ? 'dark' : 'light'}: ${Math.round(box!.height)} px, in a notebook area of ${Math.round(area!.height)} px`);
        const name = `widget-${host.app === 'notebook' ? 'notebook7' : 'lab'}-${lang}-${dark ? 'dark' : 'light'}.png`;
        const file = test.info().outputPath(name);
        await page.screenshot({ path: file });
        if (process.env.UPDATE_DOCS === '1' && DOC_SHOTS.has(name)) fs.copyFileSync(file, path.join(docs, name));
        await server.shutdownKernels();
      }
      await setTheme(server.base, false);
    });

    test('two panels on one page are chosen independently, with no page error', async ({ page }) => {
      test.setTimeout(300_000);
      await page.goto(await server.notebook('two.ipynb', [README, README]));
      const widgets = [0, 1].map(i => page.locator('.jp-Cell').nth(i).locator('.jp-ModelAdvisor-widget'));
      for (const i of [0, 1]) {
        await runCell(page, page.locator('.jp-Cell').nth(i), () => expect(widgets[i].getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
      }
      // From here on (Notebook 7 itself logs "reading 'schema'" while it loads its settings, widget or not):
      // choosing in one panel raised "Minified React error #90" when every panel's radios shared one name.
      const errors: string[] = [];
      page.on('pageerror', e => errors.push(e.message));
      const first = widgets[0].getByRole('radio');
      const second = widgets[1].getByRole('radio');
      await first.nth(1).check();
      await second.nth(2).check();
      await expect(first.nth(1)).toBeChecked();
      await expect(second.nth(2)).toBeChecked();
      await expect(first.nth(0)).not.toBeChecked();
      // Each estimate follows its own panel's choice.
      await expect(widgets[0].getByTestId('model-advisor-verdict')).toBeVisible();
      const chosen0 = await first.nth(1).getAttribute('value');
      const chosen1 = await second.nth(2).getAttribute('value');
      expect(chosen0).not.toBe(chosen1);
      await expect(widgets[0].locator('.jp-ModelAdvisor-section', { has: page.getByTestId('model-advisor-verdict') })).toContainText(chosen0!);
      await expect(widgets[1].locator('.jp-ModelAdvisor-section', { has: page.getByTestId('model-advisor-verdict') })).toContainText(chosen1!);
      expect(errors).toEqual([]);
    });

    test('planned for a T4 on a CPU runtime, the cells are the T4’s (words and steps); for the CPU itself, a 10-step smoke test', async ({ page, context }) => {
      test.setTimeout(300_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
      // No nvidia-smi on this kernel's PATH: a machine without a GPU.
      const noGpu = 'import os\nos.environ["PATH"] = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not os.path.exists(os.path.join(p, "nvidia-smi")))\n';
      await page.goto(await server.notebook('cpu.ipynb', [noGpu + README]));
      const cell = page.locator('.jp-Cell').first();
      const widget = cell.locator('.jp-ModelAdvisor-widget');
      await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText('No NVIDIA GPU in this runtime', { timeout: 20_000 }));
      const copyAll = async () => {
        await widget.getByTestId('model-advisor-copy-all').click();
        await expect(widget.getByRole('status')).toContainText('Copied');
        return page.evaluate(() => navigator.clipboard.readText());
      };
      const cpu = await copyAll();
      expect(cpu).toContain('max_steps=10,');
      expect(cpu).toContain('A smoke test of 10 steps');
      expect(cpu).not.toContain('with a checkpoint every');

      await widget.getByTestId('model-advisor-plan-for').selectOption('profile:t4');
      await expect(widget.getByTestId('model-advisor-elsewhere')).toContainText('Planning for Tesla T4');
      const t4 = await copyAll();
      expect(t4.split('\n').slice(0, 3)).toEqual(['# %% [markdown]', expect.stringMatching(/^# # Fine-tune `.+` on `Tesla T4` \(/), '# Cells generated by the model advisor for `Tesla T4`. Run them from top to bottom.']);
      expect(t4).toContain('A first run of 60 steps, with a checkpoint every 20 steps');
      expect(t4).toContain('max_steps=60,');
      expect(t4).toContain('fp16=True');
    });

    test('a Hub failure is said under the box, and the source chosen beside it changes the cells and is kept', async ({ page, context }) => {
      test.setTimeout(300_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
      // A Hub that refuses every connection: the kernel is "offline".
      await page.goto(await server.notebook('hub.ipynb', ['import os\nos.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"\n' + README]));
      const cell = page.locator('.jp-Cell').first();
      const widget = cell.locator('.jp-ModelAdvisor-widget');
      await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
      await widget.getByTestId('model-advisor-hub-id').fill('someone/any-model');
      await widget.getByTestId('model-advisor-hub-fetch').click();
      const message = widget.getByTestId('model-advisor-hub-message');
      await expect(message).toHaveText('The kernel cannot reach the Hub for someone/any-model: it looks offline. Try another download source: a mirror or ModelScope.', { timeout: 60_000 });
      // Right under the box, not hundreds of pixels away.
      const box = (await widget.getByTestId('model-advisor-hub-id').boundingBox())!;
      const below = (await message.boundingBox())!;
      expect(below.y - (box.y + box.height)).toBeGreaterThanOrEqual(0);
      expect(below.y - (box.y + box.height)).toBeLessThan(40);

      const source = widget.getByTestId('model-advisor-source');
      await expect(source).toHaveValue('hf');
      await source.selectOption('modelscope');
      await widget.getByTestId('model-advisor-copy-all').click();
      await expect(widget.getByRole('status')).toContainText('Copied');
      const cells = await page.evaluate(() => navigator.clipboard.readText());
      expect(cells).toContain('from modelscope import snapshot_download');
      // Kept for the next widget, as the sidebar keeps its setting.
      await page.goto(await server.notebook('hub-again.ipynb', [README]));
      const again = page.locator('.jp-Cell').first().locator('.jp-ModelAdvisor-widget');
      await runCell(page, page.locator('.jp-Cell').first(), () => expect(again.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
      await expect(again.getByTestId('model-advisor-source')).toHaveValue('modelscope');
      await again.getByTestId('model-advisor-source').selectOption('hf');
    });

    test('after a kernel restart the panel says so in its first line, and Copy all still gives the last plan', async ({ page, context }) => {
      test.setTimeout(300_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
      await page.goto(await server.notebook('restart.ipynb', [README]));
      const cell = page.locator('.jp-Cell').first();
      const widget = cell.locator('.jp-ModelAdvisor-widget');
      await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
      await expect(widget.getByTestId('model-advisor-kernel-gone')).toHaveCount(0);

      await page.getByRole('menuitem', { name: 'Kernel', exact: true }).click();
      await page.getByText(/^Restart Kernel…$/).first().click();
      await page.locator('.jp-Dialog-button.jp-mod-accept').click();
      const gone = widget.getByTestId('model-advisor-kernel-gone');
      await expect(gone).toHaveText('This panel has lost its kernel (it restarted or stopped): run this cell again for a live panel. Copy all and Download .ipynb still give the cells planned below.');
      // The first thing in the panel, and said to a screen reader at once.
      expect(await widget.evaluate(el => (el.firstElementChild as HTMLElement).dataset.testid)).toBe('model-advisor-kernel-gone');
      await expect(gone).toHaveAttribute('role', 'alert');
      await expect(widget).toHaveAttribute('data-kernel', 'gone');
      // Nothing left to ask: "Check again" and the Hub box wait for the cell to run again.
      await expect(widget.getByRole('button', { name: 'Check again' })).toBeDisabled();
      await expect(widget.getByTestId('model-advisor-hub-id')).toBeDisabled();
      // What needs no kernel still works, from the plan the panel shows.
      await expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4);
      await widget.getByTestId('model-advisor-copy-all').click();
      await expect(widget.getByRole('status')).toContainText('Copied');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toContain('trainer.train()');

      // Running the cell again gives a live panel.
      await cell.locator('.jp-InputArea-editor').click();
      await page.keyboard.press('Shift+Enter');
      await expect(widget.getByTestId('model-advisor-kernel-gone')).toHaveCount(0, { timeout: 60_000 });
      await expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4);
      await expect(widget.getByRole('button', { name: 'Check again' })).toBeEnabled();
    });
  });
}

test.describe('the widget in Notebook 7 with the extension', () => {
  let server: JupyterServer;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startJupyter('notebook', first + 2, { extension: true });
  });
  test.afterAll(() => server?.stop());

  test('a second insert goes below the first batch, and the notebook stays trusted', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto(await server.notebook('inserts.ipynb', [README, 'after = 1']));
    const cell = page.locator('.jp-Cell').first();
    const widget = cell.locator('.jp-ModelAdvisor-widget');
    await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
    const trusted = page.getByRole('button', { name: /Trusted/ }).or(page.getByText(/^(Not )?Trusted$/)).first();
    await expect(trusted, 'before the inserts').toHaveText('Trusted');
    const count = () => page.locator('.jp-Cell').count();
    const before = await count();
    await widget.getByTestId('model-advisor-insert-loading').click();
    await expect(widget.getByRole('status')).toContainText('through the JupyterLab extension');
    const loading = (await count()) - before;
    expect(loading).toBeGreaterThan(1);
    await widget.getByTestId('model-advisor-insert-cells').click();
    await expect.poll(count).toBeGreaterThan(before + loading);
    await expect(trusted, 'after the inserts').toHaveText('Trusted');
    // The order as saved: the widget's cell, the loading batch, then the second batch, then the cell that followed.
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await (await fetch(`${server.base}/api/contents/inserts.ipynb`)).json()).content.cells.length).toBe(await count());
    const saved = (await (await fetch(`${server.base}/api/contents/inserts.ipynb`)).json()).content.cells as { cell_type: string; source: string }[];
    expect(saved[0].source).toContain('model_advisor.show()');
    expect(saved[1].cell_type).toBe('markdown');
    expect(saved[loading].source).toContain('from_pretrained(');
    expect(saved[loading + 1].cell_type).toBe('markdown');
    expect(saved[loading + 1].source).toMatch(/^# /);
    expect(saved.map(c => c.source).slice(loading + 1).join('\n')).toContain('trainer.train()');
    expect(saved[saved.length - 1].source).toBe('after = 1');
  });
});
