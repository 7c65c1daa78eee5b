import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built app (vite preview) in Debian's Chromium.
 * Browser downloads are impossible here: point CHROMIUM_PATH elsewhere if needed.
 * The flags keep Chromium off the network (the machine's network is closed).
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quietFlags = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
// E2E_PORT lets several checkouts on one machine each test their own build (a running server on the port is reused).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    {
      // WebGPU runs on SwiftShader with this flag; the badge must say WebGPU.
      name: 'webgpu',
      testMatch: '**/*.webgpu.spec.ts',
      use: { launchOptions: { executablePath, args: [...quietFlags, '--enable-unsafe-webgpu'] } },
    },
    {
      // No WebGPU adapter by default: the lab falls back (WebGL via SwiftShader, or a forced backend).
      name: 'fallback',
      testIgnore: '**/*.webgpu.spec.ts',
      use: { launchOptions: { executablePath, args: quietFlags } },
    },
  ],
});
