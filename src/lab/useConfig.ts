import { Contents } from '@jupyterlab/services';
import { modelFromConfig } from '../core';
import { AdvisorModel } from '../ui/panel/advisor';
import { folderOf, localModelId, modelPathFor } from '../ui/panel/paths';

/**
 * "Estimate with Model Advisor" on a config.json: read it through the contents API (the file
 * lives on the Jupyter server, not in the browser), make it a catalog row, and hand it to the
 * advisor. Every failure — a file that cannot be read, text that is not JSON, an object without
 * `model_type` — becomes the sidebar's notice; nothing else changes. Resolves true when the
 * model was chosen.
 */
export async function useConfigFile(contents: Contents.IManager, advisor: AdvisorModel, path: string, notebookPath: string | null): Promise<boolean> {
  const local = contents.localPath(path);
  const folder = folderOf(local);
  try {
    const file = await contents.get(path, { content: true, format: 'text' });
    // The row's id is the folder as the active notebook sees it ("./mymodel"): a local path, so
    // it is never taken for a hub id; the cells recompute the path for the notebook they go into.
    const entry = modelFromConfig(String(file.content), localModelId(modelPathFor(folder, notebookPath)));
    // Chosen now; a family the estimator does not count is traced in the kernel meanwhile (its answer shows when it comes).
    void advisor.useLocalModel(entry, folder);
    return true;
  } catch (e) {
    // CatalogError says what is wrong with the config in the catalog's words; a failed read is the server's message.
    advisor.configFailed(local, e instanceof Error ? e.message : String(e));
    return false;
  }
}
