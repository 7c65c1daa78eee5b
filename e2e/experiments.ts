/** Share-link hashes of small experiments that train in seconds even on software GPUs (10 GradInit iterations, not 50, for LRsI). */
export const QUICK = 'v=1&dataset=moons&samples=400&epochs=6&hidden=32-32&gsnEnd=3&lrsiIters=10';
/** Long enough to pause and inspect while it trains. */
export const LONG = 'v=1&dataset=moons&samples=400&epochs=200&hidden=32-32&gsnEnd=3&lrsiIters=10';
