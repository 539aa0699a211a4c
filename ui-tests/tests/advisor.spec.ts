import * as fs from 'fs';
import * as path from 'path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { insertBelowFirstCell, insertedNotice, openNotebook } from './notebooks';

/**
 * "Which model fits, and give me the cells", as a learner on a Colab T4 (the server's fake
 * nvidia-smi) asks it: chat in Chinese with QLoRA, pick Qwen2.5-7B-Instruct by keyboard, read
 * the estimate, insert the cells below the active one.
 */

const sidebarOf = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor');

/** The catalog's Qwen2.5-7B-Instruct row, as a user would copy it into the settings. */
const QWEN_7B_ROW = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'core', 'catalog', 'models.json'), 'utf8')).find(
  (m: { id: string }) => m.id === 'Qwen/Qwen2.5-7B-Instruct'
);

/**
 * The whole sidebar, however long: a tall window so nothing scrolls out of the picture, and
 * the left area dragged to 400 px, as wide as a user would make it to read the reasons.
 */
async function screenshotSidebar(page: IJupyterLabPageFixture, name: string): Promise<string> {
  await page.setViewportSize({ width: 1280, height: 3200 });
  const box = await sidebarOf(page).boundingBox();
  if (box && box.width < 400) {
    const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
    const h = await handle.boundingBox();
    if (h) {
      await page.mouse.move(h.x + h.width / 2, h.y + 200);
      await page.mouse.down();
      await page.mouse.move(h.x + h.width / 2 + (400 - box.width), h.y + 200, { steps: 5 });
      await page.mouse.up();
    }
  }
  const file = test.info().outputPath(name);
  const panel = (await sidebarOf(page).boundingBox())!;
  // The panel's last child may have no box of its own (an empty notice): then the whole panel.
  const last = await sidebarOf(page).locator(':scope > :last-child').boundingBox();
  const height = last ? Math.min(panel.height, last.y + last.height + 12 - panel.y) : panel.height;
  await page.screenshot({ path: file, clip: { x: panel.x, y: panel.y, width: panel.width, height } });
  return file;
}

test.describe('Which model fits, and its cells', () => {
  test('on a T4: chat in Chinese with QLoRA, Qwen2.5-7B fits, its cells go below the active cell', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'advisor.ipynb');
    await page.notebook.setCell(0, 'code', 'x = 1');
    await page.notebook.addCell('code', 'y = 2');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');

    await sidebar.getByLabel('Task', { exact: true }).selectOption('chat');
    await sidebar.getByLabel('Language of the data').selectOption('zh-Hans');
    await sidebar.getByLabel('Method', { exact: true }).selectOption('qlora');
    await expect(sidebar.getByLabel('Sequence length')).toHaveValue('1024');

    // The list: the first entry fits, and says why in words (no reason left as a code).
    const models = sidebar.getByTestId('model-advisor-models');
    const rows = models.locator('.jp-ModelAdvisor-model');
    // Judged against the 14.7 GiB the probe saw free (of 15.0 GiB).
    await expect(rows.first().locator('.jp-ModelAdvisor-verdict-fits')).toHaveText(/^Fits: [\d.]+ GiB of 14\.7 GiB$/);
    await expect(rows.first()).toContainText('with QLoRA (4-bit) at 1,024 tokens');
    await expect(rows.first()).toContainText('strong Chinese');

    // Keyboard only: into the radio group, then the arrow keys, until Qwen2.5-7B-Instruct is the model.
    const target = sidebar.getByRole('radio', { name: 'Qwen/Qwen2.5-7B-Instruct', exact: true });
    await expect(target).toBeVisible();
    await models.getByRole('radio', { checked: true }).focus();
    for (let i = 0; i < 6 && !(await target.isChecked()); i++) await page.keyboard.press('ArrowDown');
    await expect(target).toBeChecked();
    await expect(target).toBeFocused();

    const verdict = sidebar.getByTestId('model-advisor-verdict');
    await expect(verdict).toHaveText(/^Fits: [\d.]+ GiB of 14\.7 GiB$/);
    await expect(verdict).toHaveClass(/jp-ModelAdvisor-verdict-fits/);
    await expect(sidebar).toContainText('Qwen/Qwen2.5-7B-Instruct · QLoRA (4-bit) · 1,024 tokens');
    const breakdown = sidebar.getByTestId('model-advisor-breakdown');
    await expect(breakdown.getByRole('row', { name: /^Weights \d[\d,]*$/ })).toBeVisible();
    await expect(breakdown.getByRole('row', { name: /^LoRA adapters \d[\d,]*$/ })).toBeVisible();
    await expect(breakdown.getByRole('row', { name: /^Total \d[\d,]*$/ })).toBeVisible();
    await expect(sidebar).toContainText(/Longest sequence that fits at this batch: \d[\d,]* tokens/);
    await expect(sidebar).toContainText(/Download about [\d.]+ GiB/);

    // The QLoRA steps are ticked by default: the 4-bit one among them.
    const steps = sidebar.getByTestId('model-advisor-steps');
    await expect(steps.getByRole('checkbox', { name: '4-bit quantization' })).toBeChecked();
    await expect(steps.getByRole('checkbox', { name: 'Train', exact: true })).toBeChecked();

    const light = await screenshotSidebar(page, 'advisor-light.png');
    if (process.env.UPDATE_DOCS === '1') {
      fs.copyFileSync(light, path.resolve(__dirname, '..', '..', 'docs', 'sidebar.png'));
    }

    const { added, sources: all } = await insertBelowFirstCell(page, 'model-advisor-insert-cells');
    expect(added).toBeGreaterThan(4);
    await expect(sidebar.getByRole('status')).toHaveText(insertedNotice(added));

    expect(await page.notebook.getCellTextInput(0)).toBe('x = 1');
    expect(await page.notebook.getCellTextInput(added + 1)).toBe('y = 2');
    expect(all).toContain('"Qwen/Qwen2.5-7B-Instruct"');
    expect(all).toContain('bnb_4bit_compute_dtype=torch.float16'); // a T4 has no bf16
    expect(all).toContain('fp16=True');
    expect(all).toContain('bf16=False');

    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
    });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await screenshotSidebar(page, 'advisor-dark.png');
  });

  test('refuses a length it cannot estimate and an empty list of steps, and inserts nothing', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'refuse.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await sidebar.getByLabel('Sequence length').fill('3');
    await expect(sidebar).toContainText(/The sequence length must be a whole number of tokens from 16 to [\d,]+\./);
    const cells = await page.notebook.getCellCount();
    await sidebar.getByTestId('model-advisor-insert-cells').click();
    await expect(sidebar.getByRole('status')).toContainText('Nothing was inserted: The sequence length must be');
    expect(await page.notebook.getCellCount()).toBe(cells);

    // A good length again, but no step ticked: nothing to insert, and it says so.
    await sidebar.getByLabel('Sequence length').fill('512');
    await expect(sidebar.getByTestId('model-advisor-verdict')).toHaveText(/^Fits: /);
    const ticked = sidebar.getByTestId('model-advisor-steps').getByRole('checkbox', { checked: true });
    while ((await ticked.count()) > 0) await ticked.first().uncheck();
    await sidebar.getByTestId('model-advisor-insert-cells').click();
    await expect(sidebar.getByRole('status')).toHaveText('Nothing was inserted: choose at least one step.');
    expect(await page.notebook.getCellCount()).toBe(cells);
  });
});

test.describe('In 简体中文', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-model-advisor:plugin': { language: 'zh-Hans' } } });

  test('the sidebar speaks Chinese when the setting says so', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'zh.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await expect(sidebar.getByRole('heading', { name: '用途' })).toBeVisible();
    await expect(sidebar.getByLabel('任务', { exact: true })).toHaveValue('chat');
    await expect(sidebar.getByLabel('数据的语言')).toHaveValue('zh-Hans');
    await expect(sidebar.getByRole('heading', { name: '放得下的模型' })).toBeVisible();
    await expect(sidebar.getByTestId('model-advisor-models').locator('.jp-ModelAdvisor-model').first()).toContainText('中文能力强');
    await expect(sidebar.getByTestId('model-advisor-verdict')).toHaveText(/^放得下：需要 [\d.]+ GiB，可用 14\.7 GiB$/);
    await expect(sidebar.getByTestId('model-advisor-insert-loading')).toHaveText('只插入加载模型的单元格');
    // The estimate's notes are translated too: a T4 has no bf16, in Chinese, with the API name as typed
    // (beside the verdict: it is not a change the user can make, so not under "可以调整的地方").
    await expect(sidebar.locator('.jp-ModelAdvisor-list li').first()).toHaveText(
      'Tesla T4 不原生支持 bf16：单元格改用 fp16 计算（torch.cuda.is_bf16_supported() 可能因为模拟而返回 True，但速度很慢）。'
    );
    await expect(sidebar).not.toContainText('has no native bf16');
    await screenshotSidebar(page, 'advisor-zh-Hans.png');
  });
});

test.describe('With the settings a user in mainland China would choose', () => {
  // A fine-tuned copy of Qwen2.5-7B-Instruct the user added as their own catalog row, and
  // ModelScope as the download source, with the cache on a mounted drive.
  const own = { ...QWEN_7B_ROW, id: 'me/qwen-7b-medical', modelscope_id: 'me/qwen-7b-medical', released: '2026-10' };
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-model-advisor:plugin': { source: 'modelscope', cacheDir: '/content/drive/hf', outputDir: 'runs', customModels: [own] }
    }
  });

  test('their own model is ranked, and the cells download from ModelScope into their cache', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'settings.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await sidebar.getByLabel('Task', { exact: true }).selectOption('chat');
    await sidebar.getByLabel('Language of the data').selectOption('zh-Hans');
    const mine = sidebar.getByRole('radio', { name: 'me/qwen-7b-medical', exact: true });
    await expect(mine).toBeVisible();
    await mine.check();

    const { added, sources: all } = await insertBelowFirstCell(page, 'model-advisor-insert-loading');
    expect(added).toBeGreaterThan(0);
    expect(all).toContain('os.environ["HF_HOME"] = "/content/drive/hf"');
    expect(all).toContain('snapshot_download("me/qwen-7b-medical", cache_dir="/content/drive/hf")');
  });
});

test.describe('With a broken row among the user’s own models', () => {
  test.use({
    mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-model-advisor:plugin': { customModels: [{ id: 'me/half-a-row' }] } }
  });

  test('says what is wrong and still advises from the catalog', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'broken-settings.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByRole('status')).toContainText('Your own models in the settings were left out:');
    await expect(sidebar.getByTestId('model-advisor-models').locator('.jp-ModelAdvisor-model').first()).toBeVisible();
  });
});
