import * as fs from 'fs';
import * as path from 'path';
import * as OpenCC from 'opencc-js';
import { expect, galata, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { lowContrast } from './contrast';
import { insertBelowFirstCell, openNotebook } from './notebooks';

/**
 * A new user's walk (issue 12): from a laptop without a GPU, plan for tomorrow's Colab T4, pick
 * Qwen3.5-9B (the first English pick) with QLoRA, see "fits", insert the T4's cells, undo them in one step; the card and
 * the estimate agree at 8,192 tokens; the bar reads its numbers; the palette inserts; the
 * keyboard alone gets there; the dark theme keeps text readable; 繁體中文 throughout.
 */

const sidebarOf = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor');

/** This kernel's nvidia-smi goes away (the fake one is left off PATH): a runtime without a GPU, as a laptop is. */
async function withoutGpu(page: IJupyterLabPageFixture): Promise<void> {
  await page.notebook.setCell(0, 'code', 'import os; os.environ["PATH"] = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if "model-advisor-smi" not in p)');
  await page.notebook.runCell(0);
  await page.sidebar.openTab('jp-model-advisor');
  await sidebarOf(page).getByRole('button', { name: 'Check again' }).click();
  await expect(sidebarOf(page).getByTestId('model-advisor-gpu')).toHaveText('No NVIDIA GPU in this runtime');
}

/** Every cell's source of the active notebook, in one read (Galata's per-cell reads switch modes, one by one). */
async function cellSources(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => (window.jupyterapp.shell.currentWidget as any).content.model.sharedModel.cells.map((c: any) => c.getSource()));
}

/** The whole panel as a picture, for docs/ (UPDATE_DOCS=1) and the test's output. */
async function screenshot(page: IJupyterLabPageFixture, name: string): Promise<void> {
  // The window as tall as the panel's content, scrolled to its top: the whole panel from its title
  // down, with no part cut off (the panel scrolls inside the sidebar, so the sidebar's box alone
  // would show only the part in view).
  const sidebar = sidebarOf(page);
  const overflow = await sidebar.evaluate(root => {
    let extra = 0;
    for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
      if (el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY)) {
        extra = Math.max(extra, el.scrollHeight - el.clientHeight);
        el.scrollTop = 0;
      }
    }
    return extra;
  });
  const viewport = page.viewportSize() ?? { width: 1280, height: 2400 };
  await page.setViewportSize({ width: 1280, height: viewport.height + overflow + 16 });
  await sidebar.evaluate(root => root.querySelectorAll('*').forEach(el => (el.scrollTop = 0)));
  const file = test.info().outputPath(name);
  await sidebar.screenshot({ path: file });
  if (process.env.UPDATE_DOCS === '1') fs.copyFileSync(file, path.resolve(__dirname, '..', '..', 'docs', name));
}

test.describe('Planning for another GPU', () => {
  test('on a runtime without a GPU: plan for a Colab T4, Qwen3.5-9B QLoRA fits, the cells are the T4 recipe; one undo takes them out', async ({ page, tmpPath }) => {
    test.setTimeout(180000);
    await openNotebook(page, tmpPath, 'plan.ipynb');
    await withoutGpu(page);
    const sidebar = sidebarOf(page);

    await sidebar.getByLabel('Plan for').selectOption('profile:t4');
    await expect(sidebar.getByTestId('model-advisor-elsewhere')).toHaveText(/^Planning for Tesla T4 · 15\.0 GiB, not for this runtime \(CPU only\)/);
    await sidebar.getByLabel('Language of the data').selectOption('en');
    await sidebar.getByLabel('Method', { exact: true }).selectOption('qlora');
    // The model an English learner is offered first on a T4 (a current one, issue 19).
    await sidebar.getByRole('radio', { name: 'Qwen/Qwen3.5-9B', exact: true }).check();
    await expect(sidebar.getByTestId('model-advisor-verdict')).toHaveText(/^Fits: [\d.]+ GiB of 15\.0 GiB$/);
    // How long: on the card, in the Estimate section and in the train cell's markdown (issue 20).
    const card = sidebar.locator('.jp-ModelAdvisor-model').filter({ has: page.getByRole('radio', { name: 'Qwen/Qwen3.5-9B', exact: true }) });
    await expect(card.getByTestId('model-advisor-card-time')).toHaveText(/^about (\d+ h )?\d+ min for the first 60 steps$/);
    const time = sidebar.getByTestId('model-advisor-time');
    await expect(time).toContainText(/About [\d,]+ tokens\/s of training on Tesla T4/);
    await expect(time).toContainText(/The first run, 60 steps: about (\d+ h )?\d+ min\./);

    const before = await page.notebook.getCellCount();
    const { added, sources } = await insertBelowFirstCell(page, 'model-advisor-insert-cells');
    expect(added).toBeGreaterThan(4);
    expect(sources).toMatch(/on `?Tesla T4`?/);
    expect(sources).toContain('bnb_4bit_compute_dtype=torch.float16');
    expect(sources).toContain('fp16=True');
    expect(sources).toContain('"paged_adamw_8bit"');
    expect(sources).not.toContain('use_cpu=True');
    expect(sources).toMatch(/Estimated time on this GPU: about \*\*(\d+ h )?\d+ min\*\* for these 60 steps/);

    // A second insert lands below the first batch, not inside it.
    await sidebar.getByTestId('model-advisor-insert-loading').click();
    await expect.poll(async () => (await cellSources(page)).length).toBeGreaterThan(before + added);
    const all = await cellSources(page);
    expect(all[1]).toMatch(/^# Fine-tune `?Qwen\/Qwen3\.5-9B`? on `?Tesla T4`?/);
    expect(all.slice(1, added + 1).join('\n')).toBe(sources); // the first batch is whole; the second follows it

    // Undo (Edit → Undo, z in command mode): the second batch goes in one step, then the first.
    const undo = () => page.evaluate(() => window.jupyterapp.commands.execute('notebook:undo-cell-action'));
    await undo();
    await expect.poll(async () => (await cellSources(page)).length).toBe(before + added);
    await undo();
    await expect.poll(async () => (await cellSources(page)).length).toBe(before);
    expect((await cellSources(page))[0]).toContain('model-advisor-smi'); // the user's own cell is untouched
  });

  test('a new notebook: the cells replace its empty first cell, the title comes first', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'new.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(sidebarOf(page).getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await page.notebook.selectCells(0);
    await sidebarOf(page).getByTestId('model-advisor-insert-cells').click();
    expect(await page.notebook.getCellTextInput(0)).toMatch(/^# Fine-tune /);
  });
});

test.describe('What a card says is what the estimate says', () => {
  test('at 8,192 tokens on a T4 every card agrees with its estimate, and the bar reads the total', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'agree.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await sidebar.getByLabel('Sequence length').fill('8192');
    await expect(sidebar).toContainText('· 8,192 tokens ·');
    const radios = sidebar.getByTestId('model-advisor-models').getByRole('radio');
    const n = await radios.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      await radios.nth(i).check();
      const card = sidebar.locator('.jp-ModelAdvisor-model').nth(i).getByTestId('model-advisor-card-verdict');
      await expect(card).toHaveText((await sidebar.getByTestId('model-advisor-verdict').textContent())!);
    }
    // The bar's label carries the table's total (MiB there, GiB in words).
    const totalMib = Number((await sidebar.getByTestId('model-advisor-breakdown').locator('tfoot td').textContent())!.replace(/,/g, ''));
    const label = await sidebar.getByTestId('model-advisor-bar').getAttribute('aria-label');
    expect(label).toContain(`about ${(totalMib / 1024).toFixed(1)} GiB estimated`);
    await expect(sidebar.getByRole('img', { name: /GiB of GPU memory free/ })).toBeVisible();
  });
});

test.describe('Palette and keyboard', () => {
  test('the palette inserts the cells; "Open" comes first and puts the keyboard in the panel, which the keyboard alone walks to Insert', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'keys.ipynb');
    await page.notebook.setCell(0, 'code', 'x = 1');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(sidebarOf(page).getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await page.notebook.selectCells(0);

    const before = await page.notebook.getCellCount();
    await page.evaluate(async () => window.jupyterapp.commands.execute('apputils:activate-command-palette'));
    await page.locator('.lm-CommandPalette-input').fill('Model Advisor');
    const items = page.locator('.lm-CommandPalette-item');
    await expect(items.first()).toContainText('Model Advisor: Open');
    await expect(page.locator('.lm-CommandPalette-content')).toContainText('Model Advisor: Check the runtime’s GPU again');
    await page.locator('.lm-CommandPalette-input').fill('Model Advisor: Insert the cells for the chosen model');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.notebook.getCellCount()).toBeGreaterThan(before);
    const afterPalette = await page.notebook.getCellCount();

    // Keyboard only: Open from the palette, then Tab through the panel to "Insert cells" and press Enter.
    await page.notebook.selectCells(0);
    await page.evaluate(async () => window.jupyterapp.commands.execute('apputils:activate-command-palette'));
    await page.locator('.lm-CommandPalette-input').fill('Model Advisor: Open');
    await page.keyboard.press('Enter');
    await expect(sidebarOf(page).getByLabel('Plan for')).toBeFocused();
    const insert = sidebarOf(page).getByTestId('model-advisor-insert-cells');
    for (let i = 0; i < 80 && !(await insert.evaluate(el => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(insert).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.notebook.getCellCount()).toBeGreaterThan(afterPalette);
  });
});

test.describe('In the dark theme', () => {
  test('every text in the panel keeps a contrast of 4.5:1 or more', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'dark.ipynb');
    await page.evaluate(async () => window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }));
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    // Every verdict colour on screen: a fit, and one that does not (full fine-tuning of a 7B).
    await sidebar.locator('.jp-ModelAdvisor-details summary').first().click();
    expect(await lowContrast(page)).toEqual([]);
    await screenshot(page, 'sidebar-en-dark.png');
    await sidebar.getByLabel('Method', { exact: true }).selectOption('full');
    await sidebar.getByLabel('Sequence length').fill('4096');
    expect(await lowContrast(page)).toEqual([]);
  });

  test('the light theme, for the README', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'light.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(sidebarOf(page).getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await screenshot(page, 'sidebar-en-light.png');
  });
});

test.describe('In 繁體中文', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-model-advisor:plugin': { language: 'zh-Hant' } } });

  test('Traditional Chinese throughout: Taiwan-tuned models first, no Simplified character, no English left', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'zh-Hant.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await expect(sidebar.getByLabel('資料的語言')).toHaveValue('zh-Hant');
    await expect(sidebar.getByLabel('規劃用於')).toBeVisible();
    const first = await sidebar.getByTestId('model-advisor-models').getByRole('radio').first().getAttribute('value');
    expect(['MediaTek-Research/Breeze-7B-Instruct-v1_0', 'taide/Llama3-TAIDE-LX-8B-Chat-Alpha1']).toContain(first);
    await expect(sidebar).toContainText('GPU 記憶體可用 14.7 GiB');
    await expect(sidebar).toContainText('系統記憶體可用');
    await sidebar.locator('.jp-ModelAdvisor-details summary').first().click();
    await screenshot(page, 'sidebar-zh-Hant-light.png');

    const text = await sidebar.evaluate(el => {
      const parts: string[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement!.closest('option')) parts.push(node.textContent ?? '');
      return parts;
    });
    const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'tw' });
    const simplified = text.flatMap(t => [...t].filter(ch => toTaiwan(ch) !== ch));
    expect(simplified).toEqual([]);
    const english = text
      .map(t => t.replace(/[\w.-]+\/[\w.-]+/g, '').replace(/\b\w+(-\w+)+\b/g, '').replace(/\b\w+_\w+\b/g, '').replace(/\b\w+(\.\w+)+(\(\))?/g, ''))
      .flatMap(t => (t.match(/\b[a-z]{4,}\b/g) ?? []).filter(w => !['token', 'logits', 'bitsandbytes', 'torch', 'transformers', 'peft', 'alpha', 'attention'].includes(w)));
    expect(english).toEqual([]);

    await page.evaluate(async () => window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }));
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await screenshot(page, 'sidebar-zh-Hant-dark.png');

    // The inserted cells speak it too, the comments inside their code included.
    const before = (await cellSources(page)).length;
    await sidebar.getByTestId('model-advisor-insert-cells').click();
    await expect.poll(async () => (await cellSources(page)).length).toBeGreaterThan(before);
    const sources = await cellSources(page);
    const load = sources.find(s => s.includes('.from_pretrained(') && s.includes('dtype='))!;
    expect(load).toMatch(/^# 載入模型及其分詞器/m);
    expect(load).not.toContain('# Load the model');
    const train = sources.find(s => s.includes('training_args = '))!;
    expect(train).toContain('# 磁碟上只保留最新的檢查點');
  });
});
