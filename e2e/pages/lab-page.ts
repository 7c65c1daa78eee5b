import { expect, type Locator, type Page } from '@playwright/test';

export type Recipe = 'default' | 'tost';

/** The lab as a user sees it: settings, run buttons, recipe cards, charts and the share link. */
export class LabPage {
  readonly backendBadge: Locator;
  readonly trainButton: Locator;
  readonly pauseButton: Locator;
  readonly resumeButton: Locator;
  readonly stopButton: Locator;
  readonly resetButton: Locator;
  readonly copyLinkButton: Locator;
  readonly progress: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.backendBadge = page.getByTestId('backend-badge');
    this.trainButton = page.getByRole('button', { name: /^(Train|Restart)$/ });
    this.pauseButton = page.getByRole('button', { name: 'Pause' });
    this.resumeButton = page.getByRole('button', { name: 'Resume' });
    this.stopButton = page.getByRole('button', { name: 'Stop' });
    this.resetButton = page.getByRole('button', { name: 'Reset' });
    this.copyLinkButton = page.getByRole('button', { name: /Copy link|Link copied/ });
    this.progress = page.getByTestId('progress');
    this.alerts = page.getByRole('alert');
  }

  /** Opens the lab, optionally with a share-link hash and a query (e.g. `backend=wasm`). */
  async open(options: { hash?: string; query?: string } = {}): Promise<void> {
    const query = options.query ? `?${options.query}` : '';
    const hash = options.hash ? `#${options.hash}` : '';
    await this.page.goto(`/${query}${hash}`);
    await expect(this.backendBadge).toHaveAttribute('data-backend', /.+/, { timeout: 60_000 });
  }

  async backend(): Promise<string> {
    return (await this.backendBadge.getAttribute('data-backend')) ?? '';
  }

  /** Threads the WASM backend runs on, as the badge reports them (null on other backends). */
  async wasmThreads(): Promise<number | null> {
    const threads = await this.backendBadge.getAttribute('data-threads');
    return threads ? Number(threads) : null;
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** Types into a text or number field and commits with Enter, as a user would. */
  async fill(label: string, value: string): Promise<void> {
    await this.field(label).fill(value);
    await this.field(label).press('Enter');
  }

  async chartPoints(chart: 'loss' | 'accuracy', recipe: Recipe): Promise<number> {
    return Number(await this.page.getByTestId(`${chart}-chart`).getAttribute(`data-points-${recipe}`));
  }

  async chance(): Promise<number> {
    return Number(await this.page.getByTestId('accuracy-chart').getAttribute('data-chance'));
  }

  /** Latest test accuracy shown on a recipe card, as a fraction. */
  async accuracy(recipe: Recipe): Promise<number> {
    const text = (await this.page.getByTestId(`accuracy-${recipe}`).textContent()) ?? '';
    return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number.NaN;
  }

  /** Latest training loss shown on a recipe card (NaN while none is shown). */
  async trainLoss(recipe: Recipe): Promise<number> {
    const text = (await this.page.getByTestId(`train-loss-${recipe}`).textContent()) ?? '';
    return text === '—' ? Number.NaN : Number(text);
  }

  async tensorCount(): Promise<number> {
    return Number(await this.page.getByTestId('tensor-count').getAttribute('data-count'));
  }

  /** Bars of a recipe's "LRsI scale per layer" chart, once GradInit has finished (0 while none is shown). */
  async lrsiScaleBars(recipe: Recipe): Promise<number> {
    const chart = this.page.getByTestId(`lrsi-scales-${recipe}`);
    return (await chart.count()) === 0 ? 0 : Number(await chart.getAttribute('data-bars'));
  }

  async waitUntilFinished(timeout = 90_000): Promise<void> {
    await expect(this.progress).toContainText('Finished', { timeout });
  }

  async waitForPoints(chart: 'loss' | 'accuracy', atLeast: number, timeout = 60_000): Promise<void> {
    await expect
      .poll(async () => Math.min(await this.chartPoints(chart, 'default'), await this.chartPoints(chart, 'tost')), { timeout })
      .toBeGreaterThanOrEqual(atLeast);
  }
}
