import * as fs from 'fs';
import * as path from 'path';
import { Browser, BrowserContext, expect, Locator, Page, test } from '@playwright/test';
import { JupyterServer, startJupyter } from './servers';

/**
 * The widget where it is all a user has (issue 21): Notebook 7 and JupyterLab, both without our
 * extension, and Notebook 7 with it. One server per host and one notebook page per host, whose
 * cells are the situations a user meets: the README's snippet, a second panel in 繁體中文, a Hub
 * that cannot be reached, and a runtime without a GPU. The tests then act on that page in
 * order (serial): how it looks and fits, two panels apart, the CPU runtime planning for a T4, the
 * Hub box, and last the kernel restart.
 */
const nbPort = Number(process.env.UI_TEST_NB_PORT ?? '8990');
// 8991 is widget.spec.ts's fake Hub.
const HOSTS = [
  { app: 'notebook' as const, name: 'Notebook 7', shot: 'notebook7', port: nbPort },
  { app: 'lab' as const, name: 'JupyterLab without the extension', shot: 'lab', port: nbPort + 2 }
];
const README = 'import model_advisor\nmodel_advisor.show()';
// No nvidia-smi on this kernel's PATH from here on: a machine without a GPU (the probe runs when the widget is made).
const NO_GPU = 'import os\nos.environ["PATH"] = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not os.path.exists(os.path.join(p, "nvidia-smi")))\nmodel_advisor.show()';
// A Hub that refuses every connection: the kernel looks offline (hub_config.py reads HF_ENDPOINT when it asks).
const DEAD_HUB = 'import os\nos.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"\nmodel_advisor.show()';
// A plain cell under the two panels that the screenshots show; the test's own cells below it.
const CELLS = [README, 'model_advisor.show(language="zh-Hant")', 'after = 1', DEAD_HUB, NO_GPU];
const [EN, ZH, HUB, CPU] = [0, 1, 3, 4];
const PANELS = [EN, ZH, HUB, CPU];
const T4 = 'Tesla T4 · 15.0 GiB';
const GONE = 'This panel has lost its kernel (it restarted or stopped): run this cell again for a live panel. Copy all and Download .ipynb still give the cells planned below.';
const GONE_ZH = '此面板已失去它的核心（核心已重新啟動或停止）：請重新執行這個儲存格。「全部複製」與「下載 .ipynb」仍可取得下方規劃的儲存格。';
const docs = path.resolve(__dirname, '..', '..', 'docs');

/**
 * Run a cell once its kernel takes it (a run asked before the kernel is up is dropped), until
 * `ready` holds. `again`: it has run before (its prompt has a number), run it anew.
 */
async function runCell(page: Page, cell: Locator, ready: () => Promise<void>, again = false): Promise<void> {
  await expect(cell.locator('.jp-InputArea-editor')).toBeVisible({ timeout: 120_000 });
  let tries = 0;
  try {
    await expect(async () => {
      const prompt = (await cell.locator('.jp-InputPrompt').textContent()) ?? '';
      const asked = again ? tries++ > 0 && prompt.includes('[*]') : /\[(\d+|\*)\]/.test(prompt);
      if (!asked) {
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

/**
 * A page at 1400×1000 that may read the clipboard. JupyterLab asks which kernel to start when it
 * cannot match the notebook's kernelspec yet (the notebooks name python3, so it rarely does):
 * take the kernel it offers, as a user presses Enter.
 */
async function openPage(browser: Browser, server: JupyterServer): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const page = await context.newPage();
  await page.addLocatorHandler(page.locator('.jp-Dialog').filter({ hasText: 'Select Kernel' }), async dialog => {
    await dialog.locator('.jp-Dialog-button.jp-mod-accept').click();
  });
  return { context, page };
}

async function copyAll(page: Page, widget: Locator): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await widget.getByTestId('model-advisor-copy-all').click();
  await expect(widget.getByRole('status')).toContainText('Copied');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** A menu of the main menu bar, then an item of it (and of its submenu). */
async function menu(page: Page, ...items: string[]): Promise<void> {
  await page.getByRole('menuitem', { name: items[0], exact: true }).click();
  for (const [i, item] of items.slice(1).entries()) {
    const entry = page.locator('.lm-Menu:visible .lm-Menu-item').filter({ has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }) }).first();
    if (i < items.length - 2) await entry.hover();
    else await entry.click();
  }
}

for (const host of HOSTS) {
  test.describe(`the widget in ${host.name}`, () => {
    test.describe.configure({ mode: 'serial' });
    let server: JupyterServer;
    let context: BrowserContext;
    let page: Page;
    const widgets: Locator[] = [];
    const cell = (i: number) => page.locator('.jp-Cell').nth(i);

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(300_000);
      const started = Date.now();
      server = await startJupyter(host.app, host.port);
      ({ context, page } = await openPage(browser, server));
      await page.goto(await server.notebook('widget.ipynb', CELLS));
      for (const i of PANELS) {
        widgets[i] = cell(i).locator('.jp-ModelAdvisor-widget');
        const gpu = i === CPU ? 'No NVIDIA GPU in this runtime' : T4;
        await runCell(page, cell(i), () => expect(widgets[i].getByTestId('model-advisor-gpu')).toHaveText(gpu, { timeout: 20_000 }));
      }
      console.log(`${host.name}: server, page and four panels in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
    test.afterAll(async () => {
      await context?.close();
      await server?.shutdownKernels();
      server?.stop();
    });

    test('the README snippet shows one panel, one screen tall at 1400×1000 with its actions in view (light and dark, English and 繁體中文)', async () => {
      test.setTimeout(120_000);
      // One panel, not a second one as Out[1] (item 1).
      await expect(cell(EN).locator('.jp-OutputArea-child')).toHaveCount(1);
      await expect(cell(EN).locator('.jp-ModelAdvisor-widget')).toHaveCount(1);
      for (const dark of [false, true]) {
        if (dark) await menu(page, 'Settings', 'Theme', 'JupyterLab Dark');
        await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', dark ? 'false' : 'true');
        for (const [i, lang] of [[EN, 'en'], [ZH, 'zh-Hant']] as const) {
          const widget = widgets[i];
          await expect(widget.getByRole('radio').first()).toBeChecked();
          await widget.evaluate(el => el.scrollIntoView({ block: 'start' }));
          // The whole panel in one screen: its bottom edge inside the notebook's visible area, and its actions in view.
          const area = (await page.locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer').boundingBox())!;
          const box = (await widget.boundingBox())!;
          const report = `${host.name}, ${lang}, ${dark ? 'dark' : 'light'}: the panel is ${Math.round(box.height)} px tall in a notebook area of ${Math.round(area.height)} px`;
          console.log(report);
          expect(box.y + box.height, report).toBeLessThanOrEqual(area.y + area.height + 1);
          for (const id of ['model-advisor-insert-cells', 'model-advisor-insert-loading', 'model-advisor-copy-all', 'model-advisor-download']) {
            await expect(widget.getByTestId(id)).toBeInViewport({ ratio: 1 });
          }
          // The Method menu shows its whole choice ("Auto (what suits this GPU)" was cut off, item 5).
          const method = widget.getByTestId('model-advisor-method');
          const room = await method.evaluate((el: HTMLSelectElement) => {
            const style = getComputedStyle(el);
            const context = document.createElement('canvas').getContext('2d')!;
            context.font = style.font;
            const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return { text: el.options[el.selectedIndex].text, width: context.measureText(el.options[el.selectedIndex].text).width, inner };
          });
          expect(room.width, `the Method menu's "${room.text}" (${Math.round(room.width)} px of text in ${room.inner} px)`).toBeLessThanOrEqual(room.inner);
          const name = `widget-${host.shot}-${lang}-${dark ? 'dark' : 'light'}.png`;
          const file = test.info().outputPath(name);
          await page.screenshot({ path: file });
          if (process.env.UPDATE_DOCS === '1') fs.copyFileSync(file, path.join(docs, name));
        }
      }
      await menu(page, 'Settings', 'Theme', 'JupyterLab Light');
      await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
    });

    test('two panels on one page are chosen independently, with no page error', async () => {
      // From here on (Notebook 7 itself logs "reading 'schema'" while it loads its settings, widget or not):
      // choosing in one panel raised "Minified React error #90" when every panel's radios shared one name.
      const errors: string[] = [];
      const onError = (e: Error) => errors.push(e.message);
      page.on('pageerror', onError);
      const first = widgets[EN].getByRole('radio');
      const second = widgets[ZH].getByRole('radio');
      await first.nth(1).check();
      await second.nth(2).check();
      await expect(first.nth(1)).toBeChecked();
      await expect(second.nth(2)).toBeChecked();
      await expect(first.nth(0)).not.toBeChecked();
      await expect(second.nth(1)).not.toBeChecked();
      // Each estimate follows its own panel's choice.
      const [chosen0, chosen1] = [await first.nth(1).getAttribute('value'), await second.nth(2).getAttribute('value')];
      expect(chosen0).not.toBe(chosen1);
      const estimate = (w: Locator) => w.locator('.jp-ModelAdvisor-section', { has: page.getByTestId('model-advisor-verdict') });
      await expect(estimate(widgets[EN])).toContainText(chosen0!);
      await expect(estimate(widgets[ZH])).toContainText(chosen1!);
      // Ids are the panel's own: no id on the page twice.
      const repeated = await page.evaluate(() => {
        const ids = [...document.querySelectorAll('.jp-ModelAdvisor-widget [id]')].map(el => el.id);
        return ids.filter((id, i) => ids.indexOf(id) !== i);
      });
      expect(repeated).toEqual([]);
      await first.nth(0).check();
      page.off('pageerror', onError);
      expect(errors).toEqual([]);
    });

    test('without the extension Insert copies the cells and says so; Copy all and Download .ipynb work', async () => {
      const widget = widgets[EN];
      const cells = await page.locator('.jp-Cell').count();
      await page.evaluate(() => navigator.clipboard.writeText(''));
      await widget.getByTestId('model-advisor-insert-loading').click();
      await expect(widget).toHaveAttribute('data-insert-path', 'copy');
      await expect(widget.getByRole('status')).toContainText('This notebook lets no widget insert cells: copied');
      expect(await page.locator('.jp-Cell').count()).toBe(cells);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('AutoModelForCausalLM.from_pretrained(');

      // "Copy all": every ticked step, as one percent-format script.
      const copied = await copyAll(page, widget);
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

    test('on a runtime without a GPU the cells are a 10-step smoke test; planned for a T4, they are the T4’s (words and steps)', async () => {
      const widget = widgets[CPU];
      const cpu = await copyAll(page, widget);
      expect(cpu).toContain('max_steps=10,');
      expect(cpu).toContain('A smoke test of 10 steps');
      expect(cpu).not.toContain('with a checkpoint every');

      await widget.getByTestId('model-advisor-plan-for').selectOption('profile:t4');
      await expect(widget.getByTestId('model-advisor-elsewhere')).toContainText('Planning for Tesla T4');
      const t4 = await copyAll(page, widget);
      expect(t4.split('\n').slice(0, 3)).toEqual(['# %% [markdown]', expect.stringMatching(/^# # Fine-tune `.+` on `Tesla T4` \(/), '# Cells generated by the model advisor for `Tesla T4`. Run them from top to bottom.']);
      expect(t4).toContain('A first run of 60 steps, with a checkpoint every 20 steps');
      expect(t4).toContain('max_steps=60,');
      expect(t4).toContain('fp16=True');
      expect(t4).not.toContain('for this runtime');
    });

    test('a sequence length of a billion is refused at its field, the bound written as numbers are', async () => {
      const field = widgets[HUB].getByTestId('model-advisor-seq-len');
      await field.fill('1000000000');
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      const message = widgets[HUB].locator(`[id="${await field.getAttribute('aria-describedby')}"]`);
      await expect(message).toHaveText(/^The sequence length must be a whole number of tokens from 16 to \d{1,3}(,\d{3})+\.$/);
      await field.fill('1024');
      await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    });

    test('a Hub failure is said under the box; the source chosen beside it changes the cells and is kept for the next panel', async () => {
      const widget = widgets[HUB];
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
      expect(await copyAll(page, widget)).not.toContain('modelscope');
      await source.selectOption('modelscope');
      expect(await copyAll(page, widget)).toContain('from modelscope import snapshot_download');
      // Kept for the next panel, as the sidebar keeps its setting: the 繁體中文 cell run again.
      await cell(ZH).locator('.jp-InputArea-editor').click();
      await page.keyboard.press('Shift+Enter');
      await expect(widgets[ZH].getByTestId('model-advisor-source')).toHaveValue('modelscope', { timeout: 60_000 });
      await source.selectOption('hf');
    });

    test('after a kernel restart each panel says so in its first line, and Copy all still gives the plan it shows', async () => {
      test.setTimeout(120_000);
      await expect(page.getByTestId('model-advisor-kernel-gone')).toHaveCount(0);
      await menu(page, 'Kernel', 'Restart Kernel…');
      await page.locator('.jp-Dialog-button.jp-mod-accept').click();
      for (const i of PANELS) {
        const widget = widgets[i];
        const gone = widget.getByTestId('model-advisor-kernel-gone');
        await expect(gone).toHaveText(i === ZH ? GONE_ZH : GONE);
        // The first thing in the panel, and said to a screen reader at once.
        expect(await widget.evaluate(el => (el.firstElementChild as HTMLElement).dataset.testid)).toBe('model-advisor-kernel-gone');
        await expect(gone).toHaveAttribute('role', 'alert');
        // Nothing left to ask: "Check again" and the Hub box wait for the cell to run again.
        await expect(widget.getByTestId('model-advisor-hub-id')).toBeDisabled();
      }
      await expect(widgets[EN].getByRole('button', { name: 'Check again' })).toBeDisabled();
      // What needs no kernel still works, from the plan the panel shows: the CPU runtime's panel planned for a T4.
      await expect(widgets[CPU].getByTestId('model-advisor-elsewhere')).toContainText('Planning for Tesla T4');
      const copied = await copyAll(page, widgets[CPU]);
      expect(copied).toContain('# Cells generated by the model advisor for `Tesla T4`.');
      expect(copied).toContain('max_steps=60,');

      // Running the cell again gives a live panel.
      await runCell(page, cell(EN), () => expect(widgets[EN].getByTestId('model-advisor-kernel-gone')).toHaveCount(0, { timeout: 20_000 }), true);
      await expect(widgets[EN].getByTestId('model-advisor-gpu')).toHaveText(T4);
      await expect(widgets[EN].getByRole('button', { name: 'Check again' })).toBeEnabled();
    });

    if (host.app !== 'notebook') return;

    test('with the extension, a second insert goes below the first batch, and the notebook stays trusted', async ({ browser }) => {
      test.setTimeout(180_000);
      await server.shutdownKernels();
      server.useExtension(true);
      const { context: withExtension, page } = await openPage(browser, server);
      try {
        const logged: string[] = [];
        page.on('console', m => logged.push(m.text()));
        await page.goto(await server.notebook('inserts.ipynb', [README, 'after = 1']));
        const cell = page.locator('.jp-Cell').first();
        const widget = cell.locator('.jp-ModelAdvisor-widget');
        await runCell(page, cell, () => expect(widget.getByTestId('model-advisor-gpu')).toHaveText(T4, { timeout: 20_000 }));
        const trusted = page.getByRole('button', { name: /Trusted/ }).or(page.getByText(/^(Not )?Trusted$/)).first();
        await expect(trusted, 'before the inserts').toHaveText('Trusted');
        const inserted = async (button: string) => {
          await widget.getByTestId(button).click();
          const status = widget.getByRole('status');
          await expect(status).toHaveText(/^Inserted \d+ cells below this output \(through the JupyterLab extension\)\.$/);
          return Number(/\d+/.exec((await status.textContent())!)![0]);
        };
        const yDoc = () => logged.filter(text => text.includes('[yjs#509] Not same Y.Doc')).length;
        const quiet = yDoc();
        const loading = await inserted('model-advisor-insert-loading');
        expect(loading).toBeGreaterThan(1);
        const all = await inserted('model-advisor-insert-cells');
        const ours = yDoc() - quiet;
        await expect(trusted, 'after the inserts').toHaveText('Trusted');
        // The order as saved: the widget's cell, the loading batch, then the second batch, then the cell that followed.
        await page.keyboard.press('Control+s');
        const saved = async () => (await (await fetch(`${server.base}/api/contents/inserts.ipynb`)).json()).content.cells as { cell_type: string; source: string; metadata: { trusted?: boolean } }[];
        await expect.poll(async () => (await saved()).length).toBe(2 + loading + all);
        const cells = await saved();
        expect(cells[0].source).toContain('model_advisor.show()');
        expect(cells[1].cell_type).toBe('markdown');
        expect(cells.slice(1, 1 + loading).map(c => c.source).join('\n')).toContain('from_pretrained(');
        expect(cells[1 + loading].cell_type).toBe('markdown');
        expect(cells[1 + loading].source).toMatch(/^# /);
        expect(cells.slice(1 + loading, 1 + loading + all).map(c => c.source).join('\n')).toContain('trainer.train()');
        expect(cells[cells.length - 1].source).toBe('after = 1');
        // Inserted through the notebook's own model, as Notebook 7's own "Insert a cell below" (b): what that
        // logs for each new cell, and no more. Notebook 7 logs "[yjs#509] Not same Y.Doc" once per cell itself:
        // @jupyter/ydoc 4 (ycell.js:139) gives a new cell an UndoManager on the notebook's Y.Doc before the
        // cell joins it, and yjs 13.6 warns (UndoManager.js:284) — opening a notebook logs it too.
        await page.locator('.jp-Cell').last().locator('.jp-InputPrompt').click();
        await page.keyboard.press('Escape');
        const [beforeOwn, shown] = [yDoc(), await page.locator('.jp-Cell').count()];
        await page.keyboard.press('b');
        await expect.poll(() => page.locator('.jp-Cell').count()).toBe(shown + 1);
        const own = yDoc() - beforeOwn;
        console.log(`"[yjs#509] Not same Y.Doc": ${ours} for our ${loading + all} cells, ${own} for Notebook 7's own insert of one`);
        expect(ours).toBeLessThanOrEqual((loading + all) * own);
      } finally {
        await withExtension.close();
        server.useExtension(false);
      }
    });
  });
}
