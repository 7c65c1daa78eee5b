/** Pause, resume and stop for a run driven by an async loop (the worker, the CLI or a test). */
export class RunControl {
  private pausedResolvers: (() => void)[] = [];
  private pausedFlag = false;
  private stoppedFlag = false;

  get paused(): boolean {
    return this.pausedFlag;
  }

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  pause(): void {
    if (!this.stoppedFlag) this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    this.release();
  }

  stop(): void {
    this.stoppedFlag = true;
    this.pausedFlag = false;
    this.release();
  }

  /** Resolves at once when running, or when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.pausedFlag) return Promise.resolve();
    return new Promise((resolve) => this.pausedResolvers.push(resolve));
  }

  private release(): void {
    const waiting = this.pausedResolvers;
    this.pausedResolvers = [];
    waiting.forEach((resolve) => resolve());
  }
}

/**
 * Lets queued messages (Pause, Stop) in between training steps. A macrotask is
 * needed: awaiting a resolved promise would not let them run.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
