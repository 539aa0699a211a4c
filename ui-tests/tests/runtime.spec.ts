import { expect, test } from '@jupyterlab/galata';
import { openNotebook } from './notebooks';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/**
 * The sidebar follows the runtime: a busy kernel, a restart, a switch between notebooks,
 * a kernel that is not Python. The fake nvidia-smi answers with the case named in the
 * kernel's own MODEL_ADVISOR_FAKE_SMI_CASE, so a cell can change "the GPU" a kernel sees.
 */

const gpuLine = (page: IJupyterLabPageFixture) => page.locator('#jp-model-advisor').getByTestId('model-advisor-gpu');

async function useCase(page: IJupyterLabPageFixture, index: number, smiCase: string): Promise<void> {
  await page.notebook.setCell(index, 'code', `import os; os.environ["MODEL_ADVISOR_FAKE_SMI_CASE"] = "${smiCase}"`);
  await page.notebook.runCell(index);
}

test.describe('The runtime the sidebar shows', () => {
  test('waits while the kernel is busy, then shows the GPU', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'busy.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');
    // The user's long cell, sent as a notebook would send it; the kernel is busy for 8 s.
    await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      void panel.sessionContext.session.kernel.requestExecute({ code: 'import time; time.sleep(8)' }).done;
    });
    await expect(page.getByRole('button', { name: /Python 3 \(ipykernel\) \| Busy/ })).toBeVisible();
    const sidebar = page.locator('#jp-model-advisor');
    await sidebar.getByRole('button', { name: 'Check again' }).click();
    await expect(sidebar).toContainText('The kernel is busy running your code');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB', { timeout: 30000 });
  });

  test('follows the active notebook', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'first.ipynb');
    await useCase(page, 0, 'rtx-3060');
    await openNotebook(page, tmpPath, 'second.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');

    await page.notebook.activate('first.ipynb');
    await expect(gpuLine(page)).toHaveText('NVIDIA GeForce RTX 3060 · 12.0 GiB');
    await page.notebook.activate('second.ipynb');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');
  });

  test('says it needs a Python kernel, and inserts nothing', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'bash.ipynb', 'bash');
    await page.sidebar.openTab('jp-model-advisor');
    const sidebar = page.locator('#jp-model-advisor');
    await expect(sidebar).toContainText('The advisor needs a Python kernel; this notebook runs bash.');
    const cells = await page.notebook.getCellCount();
    await sidebar.getByTestId('model-advisor-insert-loading').click();
    await expect(sidebar.getByRole('status')).toContainText('Nothing was inserted');
    expect(await page.notebook.getCellCount()).toBe(cells);
  });
});

test.describe('After a change of kernel', () => {
  // Changing kernels goes through the sessions API, which Galata's mock would also answer.
  test.use({ kernels: null, sessions: null });

  test('asks the new kernel, and says when it is not Python', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'change.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');
    await page.evaluate(async () => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      await panel.sessionContext.changeKernel({ name: 'bash' });
    });
    await expect(page.locator('#jp-model-advisor')).toContainText('The advisor needs a Python kernel; this notebook runs bash.');
    await page.evaluate(async () => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      await panel.sessionContext.changeKernel({ name: 'python3' });
    });
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');
  });
});

test.describe('After a kernel restart', () => {
  // Galata's kernel-tracking mock answers every POST under /api/kernels with 201, which
  // JupyterLab's restart call rejects (it expects 200): leave the kernels API unmocked here.
  test.use({ kernels: null });

  test('asks again on "Check again" and after a kernel restart', async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, 'restart.ipynb');
    await page.sidebar.openTab('jp-model-advisor');
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');

    await useCase(page, 0, 'rtx-4090');
    await page.locator('#jp-model-advisor').getByRole('button', { name: 'Check again' }).click();
    await expect(gpuLine(page)).toHaveText('NVIDIA GeForce RTX 4090 · 24.0 GiB');

    // A restart forgets the cell's variable: the kernel sees the server's T4 again.
    await page.evaluate(async () => {
      void window.jupyterapp.commands.execute('notebook:restart-kernel');
    });
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(page.getByRole('button', { name: /Python 3 \(ipykernel\) \| Idle/ })).toBeVisible();
    await expect(gpuLine(page)).toHaveText('Tesla T4 · 15.0 GiB');
  });
});
