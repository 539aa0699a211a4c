import { expect, test } from '@jupyterlab/galata';
import { insertBelowFirstCell, openNotebook } from './notebooks';

/**
 * Kaggle's two T4s, as the kernel's fake nvidia-smi reports them: the sidebar sees both cards,
 * recommends with the strategy that spreads the training over them, and inserts the two-GPU
 * cells (accelerate's config, the training script, accelerate launch) instead of loading the
 * model into the notebook's own kernel.
 */
test.describe('Several GPUs', () => {
  test('Kaggle 2×T4: recommends FSDP-QLoRA and inserts the accelerate launch cells', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'kaggle.ipynb');
    await page.notebook.setCell(0, 'code', 'import os; os.environ["MODEL_ADVISOR_FAKE_SMI_CASE"] = "kaggle-2xt4"');
    await page.notebook.runCell(0);
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = page.locator('#jp-model-advisor');
    await sidebar.getByRole('button', { name: 'Check again' }).click();
    await expect(sidebar.getByTestId('model-advisor-gpu')).toContainText('2 × Tesla T4', { timeout: 30000 });

    await sidebar.getByLabel('Task', { exact: true }).selectOption('chat');
    await sidebar.getByLabel('Language of the data').selectOption('zh-Hans');
    await sidebar.getByLabel('Method', { exact: true }).selectOption('qlora');
    // At 1,024 tokens a whole 4-bit copy of the 14B fits each T4 (DDP, the fastest); at 3,072 only
    // sharding fits — the case this test is about.
    await sidebar.getByLabel('Sequence length').fill('3072');

    const target = sidebar.getByRole('radio', { name: 'Qwen/Qwen2.5-14B-Instruct', exact: true });
    await expect(target).toBeVisible();
    await target.check();
    const row = sidebar.getByTestId('model-advisor-models').locator('.jp-ModelAdvisor-model').filter({ hasText: 'Qwen/Qwen2.5-14B-Instruct' });
    await expect(row).toContainText('fits 2 × Tesla T4 with QLoRA (4-bit) and FSDP-QLoRA');
    // The row's verdict is the busiest GPU's under that strategy, not one process's whole copy.
    await expect(row.locator('.jp-ModelAdvisor-verdict-fits')).toHaveText(/^Fits: \d+\.\d GiB of 14\.6 GiB$/);
    // The Estimate section says what the card says: the same plan, the busiest GPU under FSDP-QLoRA.
    const cardVerdict = (await row.locator('.jp-ModelAdvisor-verdict-fits').textContent()) ?? '';
    await expect(sidebar.getByTestId('model-advisor-verdict')).toHaveText(cardVerdict);
    await expect(sidebar.getByTestId('model-advisor-spread')).toContainText('FSDP-QLoRA');

    const steps = sidebar.getByTestId('model-advisor-steps');
    await expect(steps.getByRole('checkbox', { name: 'Train on several GPUs' })).toBeChecked();
    await expect(steps.getByRole('checkbox', { name: 'Train', exact: true })).not.toBeChecked();

    const { added, sources } = await insertBelowFirstCell(page, 'model-advisor-insert-cells');
    expect(added).toBeGreaterThan(3);
    expect(sources).toContain('"distributed_type": "FSDP"');
    expect(sources).toContain('"num_processes": 2');
    expect(sources).toContain('bnb_4bit_quant_storage=torch.float16');
    expect(sources).toContain('"accelerate.commands.launch"');
    expect(sources).not.toContain('device_map="auto"');
  });
});
