import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A Jupyter server of its own beside the Galata JupyterLab, with our JupyterLab extension
 * turned off (page config in a config dir of its own): Notebook 7 (`jupyter notebook`) or a
 * JupyterLab that has not loaded it — where the widget is all a user has. The fake nvidia-smi
 * answers like a Colab T4, as for the Galata JupyterLab; the kernels import the package the
 * test run sees (PYTHONPATH is passed on).
 */
export interface JupyterServer {
  base: string;
  app: 'notebook' | 'lab';
  /**
   * The notebook at `name` (in the server's root) with these code cells; resolves to its page's
   * URL. Saved through the contents API, as the UI saves, so the server signs it and it opens
   * trusted (a file written beside the server opens "Not Trusted").
   */
  notebook(name: string, sources: string[]): Promise<string>;
  /**
   * Turn our JupyterLab extension on or off for the pages opened from now on (both hosts read
   * labconfig/page_config.json at each page load): one server serves Notebook 7 without the
   * extension and with it.
   */
  useExtension(on: boolean): void;
  /** Shut down every kernel this server runs (one per notebook a test opened), so they do not pile up. */
  shutdownKernels(): Promise<void>;
  stop(): void;
}

const repo = path.resolve(__dirname, '..', '..');

async function waitForServer(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`jupyter did not answer on ${base}`);
}

/** `extension`: leave our JupyterLab extension on (Notebook 7 with it: the widget inserts through it). */
export async function startJupyter(app: 'notebook' | 'lab', port: number, options: { extension?: boolean } = {}): Promise<JupyterServer> {
  const base = `http://127.0.0.1:${port}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `model-advisor-${app}-`));
  const bin = path.join(root, 'bin');
  const config = path.join(root, 'config');
  const notebooks = path.join(root, 'notebooks');
  fs.mkdirSync(path.join(config, 'labconfig'), { recursive: true });
  fs.mkdirSync(notebooks);
  execFileSync(path.join(repo, '.venv', 'bin', 'python'), [path.join(repo, 'tests', 'fake_nvidia_smi.py'), '--install', bin, '--case', 'colab-t4']);
  const useExtension = (on: boolean) => fs.writeFileSync(path.join(config, 'labconfig', 'page_config.json'), JSON.stringify({ disabledExtensions: { 'jupyterlab-model-advisor': !on } }));
  useExtension(options.extension ?? false);
  const args = [app, '--no-browser', `--port=${port}`, '--ip=127.0.0.1', `--ServerApp.root_dir=${notebooks}`, '--IdentityProvider.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True', '--ServerApp.port_retries=0'];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const server: ChildProcess = spawn(path.join(repo, '.venv', 'bin', 'jupyter'), args, {
    env: { ...process.env, PATH: `${bin}:${path.join(repo, '.venv', 'bin')}:${process.env.PATH}`, JUPYTER_CONFIG_DIR: config },
    stdio: 'ignore',
    detached: true
  });
  await waitForServer(base, Date.now() + 90_000);
  // No "Would you like to get notified about official Jupyter news?" toast over the panel.
  await putSetting(base, '@jupyterlab/apputils-extension:notification', { fetchNews: 'false' });
  return {
    base,
    app,
    async notebook(name, sources) {
      const notebook = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
        cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null }))
      };
      const saved = await fetch(`${base}/api/contents/${name}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'notebook', format: 'json', content: notebook }) });
      if (!saved.ok) throw new Error(`the notebook ${name} was not saved: ${saved.status}`);
      // `?reset`: a fresh JupyterLab workspace, so no notebook of an earlier test is open beside it.
      return app === 'notebook' ? `${base}/notebooks/${name}` : `${base}/lab/tree/${name}?reset`;
    },
    useExtension,
    async shutdownKernels() {
      const kernels = (await (await fetch(`${base}/api/kernels`)).json()) as { id: string }[];
      await Promise.all(kernels.map(k => fetch(`${base}/api/kernels/${k.id}`, { method: 'DELETE' })));
    },
    stop() {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

/** The light or dark theme, through the settings API (both hosts read JupyterLab's theme setting). */
export async function setTheme(base: string, dark: boolean): Promise<void> {
  await putSetting(base, '@jupyterlab/apputils-extension:themes', { theme: dark ? 'JupyterLab Dark' : 'JupyterLab Light' });
}

async function putSetting(base: string, plugin: string, values: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${base}/lab/api/settings/${plugin}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ raw: JSON.stringify(values) }) });
  if (!answer.ok) throw new Error(`the setting ${plugin} was refused: ${answer.status}`);
}
