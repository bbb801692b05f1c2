// End-to-end tests: Debian's Chromium (never a downloaded browser) against the real
// reference server serving the release build from dist/, on fresh demo data.
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 18080);
// The store: a fresh SQLite file, or E2E_DB (a PostgreSQL URL: `make test-pg` runs the tab's
// main specs against a PostgreSQL-backed server that way).
const db = process.env.E2E_DB ?? path.join(os.tmpdir(), `sync-errors-e2e-${process.pid}.db`);

export default defineConfig({
  testDir: '.',
  outputDir: path.join(__dirname, 'results'),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    timezoneId: 'Europe/Paris',
    locale: 'en-US',
  },
  webServer: {
    command: [
      path.join(root, 'target/release/sync-errors-server'),
      `--port ${port}`,
      `--dist ${path.join(root, 'dist')}`,
      `--db ${db}`,
      '--demo-rows 2000',
      `--auth ${path.join(root, 'config/demo-auth.json')}`,
    ].join(' '),
    url: `http://127.0.0.1:${port}/signin`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
