import { expect, type Locator, type Page } from '@playwright/test';

/** The mask's progress, rounds, warnings and pictures. */
export class MaskPanel {
  readonly progressBar: Locator;
  readonly rounds: Locator;
  readonly summary: Locator;
  readonly warnings: Locator;
  readonly densityChart: Locator;
  readonly heatmap: Locator;
  readonly layerPicker: Locator;

  constructor(readonly page: Page) {
    this.progressBar = page.getByRole('progressbar', { name: 'Computing the mask' });
    this.rounds = page.getByTestId('mask-rounds');
    this.summary = page.getByTestId('mask-summary');
    this.warnings = page.getByTestId('mask-warnings');
    this.densityChart = page.getByTestId('density-chart');
    this.heatmap = page.getByTestId('mask-heatmap').getByRole('img');
    this.layerPicker = page.getByLabel('Layer to show');
  }

  async roundCount(): Promise<number> {
    return this.rounds.locator('tbody tr').count();
  }

  async waitForPictures(): Promise<void> {
    await expect(this.densityChart).toBeVisible({ timeout: 120_000 });
  }
}
