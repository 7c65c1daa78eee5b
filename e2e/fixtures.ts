import { test as base, expect } from '@playwright/test';
import { LabPage } from './pages/lab-page';

/**
 * Every test gets a LabPage and fails if the page (or its worker) logs an
 * error or throws, so "no console errors" is checked everywhere, not once.
 */
export const test = base.extend<{ lab: LabPage; consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use(errors);
    expect(errors, 'console errors').toEqual([]);
  },
  lab: async ({ page, consoleErrors }, use) => {
    void consoleErrors;
    await use(new LabPage(page));
  },
});

export { expect };
