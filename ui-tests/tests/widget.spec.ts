import { expect, test } from '@jupyterlab/galata';
import { openNotebook } from './notebooks';

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
    await widget.screenshot({ path: test.info().outputPath('widget-lab.png') });

    // "Check again" asks the kernel, which measures again and answers.
    await widget.getByRole('button', { name: 'Check again' }).click();
    await expect(widget.getByTestId('model-advisor-gpu')).toHaveText('Tesla T4 · 15.0 GiB');

    const before = await page.notebook.getCellCount();
    await widget.getByTestId('model-advisor-insert-loading').click();
    await expect(widget.getByRole('status')).toContainText('through the JupyterLab extension');
    await expect(widget).toHaveAttribute('data-insert-path', 'extension');
    const added = (await page.notebook.getCellCount()) - before;
    expect(added).toBeGreaterThan(0);
    await expect(widget.getByRole('status')).toHaveText(`Inserted ${added} cell(s) below this output (through the JupyterLab extension).`);
    // Below the widget's own cell, above the cell that followed it.
    const sources: string[] = [];
    for (let i = 1; i <= added; i++) sources.push((await page.notebook.getCellTextInput(i)) ?? '');
    expect(sources.join('\n')).toContain('AutoModelForCausalLM.from_pretrained(');
    expect(await page.notebook.getCellTextInput(added + 1)).toBe('after = 1');
  });
});
