/**
 * Where a model folder is, seen from a notebook. Pure: the paths are the Jupyter server's
 * (relative to the folder it serves, "/"-separated, no leading slash — what the contents API
 * and `context.path` give), so jest checks them without a server.
 */

/** The segments of a server path, without empty ones or ".". */
function segments(path: string): string[] {
  return path.split('/').filter(s => s !== '' && s !== '.');
}

/** The folder a file is in ("" for the server's root). */
export function folderOf(path: string): string {
  return segments(path).slice(0, -1).join('/');
}

/** `to` as seen from the folder `from`: "mymodel", "../models/qwen", "." for the folder itself. */
export function relativePath(from: string, to: string): string {
  const a = segments(from);
  const b = segments(to);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const parts = [...a.slice(common).map(() => '..'), ...b.slice(common)];
  return parts.length === 0 ? '.' : parts.join('/');
}

/**
 * The path the loading cell gives `from_pretrained` for a model folder. A notebook's kernel
 * starts in the notebook's own folder (jupyter_server's default `cwd` for a kernel is the
 * notebook's directory), so the folder is written relative to it: the notebook and the model
 * can move together. With no notebook, the server-relative path — what the kernel of a notebook
 * at the server's root would need.
 */
export function modelPathFor(folder: string, notebookPath: string | null): string {
  return notebookPath === null ? relativePath('', folder) : relativePath(folderOf(notebookPath), folder);
}

/**
 * The id the sidebar lists a model folder under: a local path ("./mymodel", "../models/qwen"),
 * so it is never mistaken for a Hugging Face id ("owner/name"), and the catalog accepts it.
 */
export function localModelId(modelPath: string): string {
  if (modelPath === '.') return './';
  return modelPath.startsWith('../') ? modelPath : `./${modelPath}`;
}
