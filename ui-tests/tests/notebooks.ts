import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/**
 * Open a new notebook, in the test's folder `dir`, on the given kernel. It is written through the contents API with its
 * kernelspec set, so JupyterLab starts that kernel without asking (File > New > Notebook
 * asks only the first time, which makes a second notebook in one test hang on a dialog).
 */
export async function openNotebook(page: IJupyterLabPageFixture, dir: string, name: string, kernel = 'python3'): Promise<void> {
  const display = kernel === 'python3' ? 'Python 3 (ipykernel)' : kernel;
  const language = kernel === 'python3' ? 'python' : kernel;
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: display, language } },
    cells: [{ cell_type: 'code', id: 'first', source: '', metadata: {}, outputs: [], execution_count: null }]
  };
  await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${dir}/${name}`);
  await page.notebook.openByPath(`${dir}/${name}`);
  await page.notebook.activate(name);
}

/**
 * Click a sidebar button that inserts cells (`model-advisor-insert-cells` or
 * `model-advisor-insert-loading`) with the first cell active; returns how many cells it
 * added and their sources joined — the cells right below the first one, or in its place when
 * it was empty (the advisor replaces a blank active cell rather than leave it above the title).
 */
export async function insertBelowFirstCell(page: IJupyterLabPageFixture, testId: string): Promise<{ added: number; sources: string }> {
  const before = await page.notebook.getCellCount();
  await page.notebook.selectCells(0);
  const blank = ((await page.notebook.getCellTextInput(0)) ?? '').trim() === '';
  await page.locator('#jp-model-advisor').getByTestId(testId).click();
  const added = (await page.notebook.getCellCount()) - before + (blank ? 1 : 0);
  const first = blank ? 0 : 1;
  const sources: string[] = [];
  for (let i = first; i < first + added; i++) sources.push((await page.notebook.getCellTextInput(i)) ?? '');
  return { added, sources: sources.join('\n') };
}

/** The status line after an insert, as the panel words it. */
export function insertedNotice(added: number): string {
  return added === 1 ? 'Inserted 1 cell below the active cell.' : `Inserted ${added} cells below the active cell.`;
}
