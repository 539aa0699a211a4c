import { expect, galata, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { lowContrast } from './contrast';
import { openNotebook } from './notebooks';

/**
 * "Measure exactly" (issue 16 item 3), clicked as a user clicks it: the notebook's own kernel
 * (the fake nvidia-smi: a Colab T4) traces one training step of the panel's plan with its
 * torch, transformers, peft and TRL on fake tensors, and the panel shows the traced figure
 * against the estimate. Qwen2.5-0.5B-Instruct with QLoRA: each trace about 10 s on 2 cores.
 */

const QWEN = 'Qwen/Qwen2.5-0.5B-Instruct';
const sidebarOf = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor');

/**
 * The small model chosen from its card, then QLoRA: a 0.5B model is listed on a T4 for full
 * fine-tuning; chosen, it stays chosen when the method changes.
 */
async function chooseQwenQlora(panel: Locator): Promise<void> {
  await panel.getByTestId('model-advisor-method').selectOption('full');
  await panel.getByRole('radio', { name: QWEN, exact: true }).check();
  await panel.getByTestId('model-advisor-method').selectOption('qlora');
  await expect(panel.getByRole('radio', { name: QWEN, exact: true })).toBeChecked();
}

/** The traced and estimated MiB and their ratio, as the panel writes them (digits grouped). */
async function figures(panel: Locator): Promise<{ traced: number; estimated: number; ratio: number }> {
  const number = async (id: string, pattern: RegExp) => Number(pattern.exec((await panel.getByTestId(id).textContent()) ?? '')![1].replace(/,/g, ''));
  return {
    traced: await number('model-advisor-measure-traced', /([\d,]+) MiB/),
    estimated: await number('model-advisor-measure-estimated', /([\d,]+) MiB/),
    ratio: await number('model-advisor-measure-ratio', /(\d+\.\d\d)/)
  };
}

test.describe('Measure exactly, in the sidebar', () => {
  test('by keyboard: the kernel traces the plan, traced against estimated within 5 %, no weights downloaded; another length brings the button back', async ({ page, tmpPath }) => {
    test.setTimeout(150_000);
    await openNotebook(page, tmpPath, 'measure.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await chooseQwenQlora(sidebar);
    await sidebar.getByTestId('model-advisor-seq-len').fill('1024');
    await expect(sidebar).toContainText(`${QWEN} · `);

    const button = sidebar.getByTestId('model-advisor-measure-button');
    await expect(button).toHaveText('Measure exactly');
    await expect(button).toHaveAccessibleDescription(/No weights are downloaded\./);
    await button.focus();
    await page.keyboard.press('Enter');
    const result = sidebar.getByTestId('model-advisor-measure-result');
    await expect(result).toContainText('Tracing one training step in the kernel (stopped after 120 s at most)…');
    await expect(button).toBeDisabled();
    await expect(sidebar.getByTestId('model-advisor-measure-trace')).toBeVisible({ timeout: 120_000 });
    const { traced, estimated, ratio } = await figures(sidebar);
    console.log(`${QWEN} QLoRA on a T4 at 1,024 tokens: traced ${traced} MiB, estimated ${estimated} MiB, ratio ${ratio}`);
    expect(traced).toBeGreaterThan(1000);
    expect(ratio).toBeCloseTo(estimated / traced, 2);
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.05);
    await expect(result).toContainText(/Traced with transformers \d[\w.]* and torch \d[\w.+]*, 24 layers from 1 \+ 2, in [\d.]+ s\. No weights were downloaded\./);
    await expect(result).toContainText(/[\d,]+ parameters, counted on the traced model\./);
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
    expect(await lowContrast(page, '#jp-model-advisor .jp-ModelAdvisor-measure')).toEqual([]);

    // A trace belongs to its plan: another length asks again; coming back shows the trace kept.
    await sidebar.getByTestId('model-advisor-seq-len').fill('2048');
    await expect(button).toBeEnabled();
    await expect(sidebar.getByTestId('model-advisor-measure-trace')).toHaveCount(0);
    await sidebar.getByTestId('model-advisor-seq-len').fill('1024');
    await expect(sidebar.getByTestId('model-advisor-measure-traced')).toHaveText(`Traced: ${traced.toLocaleString('en-US')} MiB allocated`);
  });

  test('a local folder of a family the estimator does not count (olmo2) is traced at once: the trace is its estimate', async ({ page, tmpPath }) => {
    test.setTimeout(150_000);
    const olmo2 = { model_type: 'olmo2', architectures: ['Olmo2ForCausalLM'], hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 16, vocab_size: 100352, max_position_embeddings: 4096 };
    await page.contents.uploadContent(JSON.stringify(olmo2), 'text', `${tmpPath}/olmo/config.json`);
    await openNotebook(page, tmpPath, 'olmo.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await page.evaluate(async p => window.jupyterapp.commands.execute('model-advisor:use-config', { path: p }), `${tmpPath}/olmo/config.json`);
    await expect(sidebar.getByRole('radio', { name: './olmo', exact: true })).toBeChecked();
    // No click: the trace was asked for when the folder was chosen, as for a Hub model.
    await expect(sidebar.getByTestId('model-advisor-measure-traced')).toContainText(/^The estimator does not count this family, so the trace is the estimate: [\d,]+ MiB allocated/, { timeout: 120_000 });
    await expect(sidebar.getByTestId('model-advisor-measure-verdict')).toHaveText(/^Fits: [\d.]+ GiB of 14\.7 GiB$/);
    await expect(sidebar.getByTestId('model-advisor-measure-result')).toContainText('No weights were downloaded.');
    expect(await lowContrast(page, '#jp-model-advisor .jp-ModelAdvisor-measure')).toEqual([]);
  });
});

test.describe('Measure exactly in 简体中文, in the dark theme', () => {
  test.use({ mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-model-advisor:plugin': { language: 'zh-Hans' } } });

  test('the sidebar says it in Chinese and keeps every text readable; the widget in a notebook output measures too, one screen tall', async ({ page, tmpPath }) => {
    test.setTimeout(240_000);
    await openNotebook(page, tmpPath, 'measure-zh.ipynb');
    await page.evaluate(async () => window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }));
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await chooseQwenQlora(sidebar);
    const button = sidebar.getByTestId('model-advisor-measure-button');
    await expect(button).toHaveText('精确测量');
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(sidebar.getByTestId('model-advisor-measure-traced')).toHaveText(/^追踪结果：已分配 [\d,]+ MiB$/, { timeout: 120_000 });
    await expect(sidebar.getByTestId('model-advisor-measure-estimated')).toHaveText(/^估算：已分配 [\d,]+ MiB（估算值减去 CUDA 上下文与分配器预留）$/);
    await expect(sidebar.getByTestId('model-advisor-measure-ratio')).toHaveText(/^估算 ÷ 追踪：(0\.9[5-9]|1\.0[0-5])$/);
    await expect(sidebar.getByTestId('model-advisor-measure-result')).toContainText('未下载任何权重。');
    expect(await lowContrast(page, '#jp-model-advisor .jp-ModelAdvisor-measure')).toEqual([]);
    await page.sidebar.close('left');

    // The widget: its measure section folds in the output; opened by keyboard, it traces the same plan.
    await page.notebook.setCell(0, 'code', 'import model_advisor\nmodel_advisor.show(language="zh-Hans")');
    await page.notebook.runCell(0);
    const widget = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea-output .jp-ModelAdvisor-widget');
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await chooseQwenQlora(widget);
    const section = widget.getByTestId('model-advisor-measure');
    await expect(section).not.toHaveAttribute('open', '');
    await section.locator('summary').focus();
    await page.keyboard.press('Enter');
    await widget.getByTestId('model-advisor-measure-button').focus();
    await page.keyboard.press('Enter');
    await expect(widget.getByTestId('model-advisor-measure-ratio')).toHaveText(/^估算 ÷ 追踪：(0\.9[5-9]|1\.0[0-5])$/, { timeout: 120_000 });
    expect(await lowContrast(page, '.jp-ModelAdvisor-widget .jp-ModelAdvisor-measure')).toEqual([]);
    // Folded again, the panel is one screen tall, as widget_hosts.spec.ts holds it.
    await section.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(section).not.toHaveAttribute('open', '');
    await page.setViewportSize({ width: 1400, height: 1000 });
    await widget.evaluate(el => el.scrollIntoView({ block: 'start' }));
    const area = (await page.locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer').boundingBox())!;
    const box = (await widget.boundingBox())!;
    console.log(`the widget after a trace, folded: ${Math.round(box.height)} px tall in a notebook area of ${Math.round(area.height)} px`);
    expect(box.y + box.height).toBeLessThanOrEqual(area.y + area.height + 1);
  });
});
