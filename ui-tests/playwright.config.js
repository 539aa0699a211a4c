/**
 * Galata in a real JupyterLab, driven by Debian's Chromium (never a downloaded browser).
 * The server starts with a fake `nvidia-smi` on PATH that answers like a Colab T4.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Another JupyterLab (a second checkout's tests, a `make lab`) may hold 8888: UI_TEST_PORT moves ours.
const port = process.env.UI_TEST_PORT || '8888';

module.exports = {
  ...baseConfig,
  reporter: [['list']],
  retries: 0,
  workers: 1,
  timeout: 90000,
  expect: { timeout: 20000 },
  outputDir: 'test-results',
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${port}`,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage']
    }
  },
  webServer: {
    command: 'bash start-lab.sh',
    url: `http://127.0.0.1:${port}/lab`,
    timeout: 120000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe'
  }
};
