import { chromium, type Browser, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import type { BrowserAnswer, BrowserRequest } from './browser/protocol';
import type { Workload } from './workloads';

const WARM_UP: Workload = { name: 'warm-up', arch: 'mlp', inputShape: [16], hidden: [8], batch: 4, steps: 1 };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Chromium kept off the network (the machine's network is closed), WebGPU enabled (SwiftShader without a GPU). */
const FLAGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

/**
 * Headless Chromium on a page of the project's Vite dev server (its config:
 * cross-origin isolation headers, pre-bundled tfjs), timing workloads in a
 * module worker set up like the lab's (bench/browser/).
 */
export class BrowserBench {
  private constructor(
    private readonly server: ViteDevServer,
    private readonly url: string,
    private browser: Browser,
    private page: Page,
  ) {}

  get version(): string {
    return this.browser.version();
  }

  static async start(): Promise<BrowserBench> {
    // No file watching or hot reload: editing a file mid-run must not reload the page under a measurement.
    const server = await createServer({
      root: ROOT,
      configFile: `${ROOT}vite.config.ts`,
      logLevel: 'error',
      server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
    });
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('the Vite dev server has no local address');
    const { browser, page } = await BrowserBench.open(url);
    const bench = new BrowserBench(server, url, browser, page);
    // The dev server transforms the worker's modules on first request: do it now, not during the first timing.
    const warm = await bench.time({ kind: 'steps', backend: 'wasm', workload: WARM_UP, sparsity: 0.5, steps: 1, warmup: 0 }, 300_000);
    if (!warm.ok) console.log(`Chromium warm-up: ${warm.error}`);
    return bench;
  }

  private static async open(url: string): Promise<{ browser: Browser; page: Page }> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    const page = await browser.newPage();
    await page.goto(`${url}bench/browser/index.html`);
    await page.waitForFunction(() => document.title === 'ready', null, { timeout: 120_000 });
    return { browser, page };
  }

  /**
   * A fresh Chromium. After a WebGL or WebGPU measurement (finished or not)
   * the GPU process keeps working through queued software-rendered commands
   * for minutes, at half a core, load that would slow whatever is measured
   * next: every measurement gets its own browser.
   */
  private async restart(): Promise<void> {
    await this.browser.close();
    ({ browser: this.browser, page: this.page } = await BrowserBench.open(this.url));
  }

  /** One measurement, abandoned past `timeoutMs`; Chromium is restarted after it. */
  async time(request: BrowserRequest, timeoutMs: number): Promise<BrowserAnswer> {
    type Measure = (request: BrowserRequest, timeoutMs: number) => Promise<BrowserAnswer>;
    let answer: BrowserAnswer;
    try {
      answer = await this.page.evaluate(([r, t]) => (window as unknown as { measure: Measure }).measure(r, t), [request, timeoutMs] as const);
    } catch (error) {
      // The page itself failed (crashed, out of memory): report it and start over.
      answer = { ok: false, error: `page failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
    await this.restart();
    return answer;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}
