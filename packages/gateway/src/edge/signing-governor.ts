/**
 * How many answer signatures run at once on libuv's pool. The pool has one
 * thread per core (`recommendedThreadPoolSize`); which share of the cores
 * signing should get depends on the host:
 *
 * - where a signature costs more than the JavaScript work of a request (an
 *   RSA signature of about 1 ms), the event loop idles while signatures
 *   queue: every core should sign;
 * - where it costs less (about 0.25 ms), signing threads on every core
 *   preempt the event loop, which is then the bottleneck: one core is left
 *   to the loop.
 *
 * Rather than guess the host, the governor watches both while running: it
 * samples the event loop's utilisation every `sampleMs`, and lets signatures
 * use every pool thread while the loop has idle time and signatures waited
 * for a slot, and one fewer once the loop is saturated.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface SigningGovernorOptions {
  /** Pool threads (the most signatures at once). */
  threads: number;
  /** Event loop utilisation above which the loop is the bottleneck. */
  saturatedElu?: number;
  sampleMs?: number;
}

export class SigningGovernor {
  private readonly threads: number;
  private readonly saturatedElu: number;
  private limit: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Whether a signature had to wait for a slot since the last sample. */
  private queued = false;
  private lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: SigningGovernorOptions) {
    this.threads = Math.max(1, options.threads);
    this.saturatedElu = options.saturatedElu ?? 0.9;
    this.limit = this.threads;
    if (this.threads > 1) {
      this.timer = setInterval(() => this.sample(), options.sampleMs ?? 250);
      this.timer.unref();
    }
  }

  /** Signatures allowed at once now. */
  get concurrency(): number {
    return this.limit;
  }

  /** Runs `task` (a signature on the pool) when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      this.queued = true;
      // next() counts the slot it hands over.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      this.running--;
      this.next();
    }
  }

  /** The decision, apart from the clock so that tests can drive it: `elu` over the last interval, and whether signatures queued. */
  adjust(elu: number, queued: boolean): number {
    if (elu >= this.saturatedElu) this.limit = Math.max(1, this.threads - 1);
    else if (queued) this.limit = this.threads;
    this.next();
    return this.limit;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.lastElu).utilization;
    this.lastElu = now;
    const queued = this.queued;
    this.queued = false;
    this.adjust(elu, queued);
  }

  private next(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      this.running++;
      (this.waiting.shift() as () => void)();
    }
  }
}
