import { expect, test } from '@jupyterlab/galata';
import { insertBelowFirstCell, insertedNotice, openNotebook } from './notebooks';

/**
 * The walking skeleton as a user walks it: a notebook, the Model Advisor sidebar, the GPU
 * of the notebook's kernel (a fake nvidia-smi answering like a Colab T4), and a loading
 * cell for the chosen model (by default the top recommendation) inserted below the active one.
 */
test.describe('Model Advisor sidebar', () => {
  test('shows the kernel’s T4 and inserts a loading cell below the active cell', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'skeleton.ipynb');
    await page.notebook.setCell(0, 'code', 'x = 1');
    await page.notebook.addCell('code', 'y = 2');
    await page.notebook.runCell(0);
    await expect(page.locator('.jp-Cell').nth(0).locator('.jp-InputPrompt')).toHaveText('[1]:');

    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = page.locator('#jp-model-advisor');
    await expect(sidebar.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');
    await sidebar.screenshot({ path: test.info().outputPath('sidebar.png') });

    // The probe ran silently: it added no cell and no output, and the next run is [2].
    expect(await page.notebook.getCellCount()).toBe(2);
    await expect(page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea-output')).toHaveCount(0);
    await page.notebook.runCell(1);
    await expect(page.locator('.jp-Cell').nth(1).locator('.jp-InputPrompt')).toHaveText('[2]:');

    // The loading cell loads the chosen model; untouched, that is the first recommendation.
    const first = sidebar.getByTestId('model-advisor-models').getByRole('radio').first();
    await expect(first).toBeChecked();
    const chosen = await first.getAttribute('value');
    expect(chosen).toMatch(/^[\w.-]+\/[\w.-]+$/);

    const { added, sources: all } = await insertBelowFirstCell(page, 'model-advisor-insert-loading');
    expect(added).toBeGreaterThan(0);
    await expect(sidebar.getByRole('status')).toHaveText(insertedNotice(added));

    // The new cells sit between the active cell and the one that followed it; one of them
    // loads the model, from the id the loading cell names.
    expect(await page.notebook.getCellTextInput(0)).toBe('x = 1');
    expect(await page.notebook.getCellTextInput(added + 1)).toBe('y = 2');
    expect(all).toContain(`"${chosen}"`);
    expect(all).toContain('AutoModelForCausalLM.from_pretrained(');
    expect(all).toContain('dtype=torch.float16'); // a T4 has no native bf16
  });

  test('opens from the command palette', async ({ page }) => {
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('apputils:activate-command-palette');
    });
    await page.locator('.lm-CommandPalette-input').fill('Model Advisor: Open');
    await page.keyboard.press('Enter');
    await expect(page.locator('#jp-model-advisor')).toBeVisible();
    await expect(page.locator('#jp-model-advisor')).toContainText('Open a notebook to see its runtime’s GPU.');
  });
});

