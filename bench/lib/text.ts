/** The tail of a text stream, and a wait for a string or pattern to show up in it. */
export class TextSink {
  private buf = '';
  /** Characters received in all. */
  total = 0;
  closed = false;
  private waiter: {
    match: (s: string) => boolean;
    resolve: () => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  } | null = null;

  constructor(private readonly keep = 8192) {}

  feed(text: string): void {
    this.total += text.length;
    this.buf += text;
    if (this.buf.length > this.keep) this.buf = this.buf.slice(-this.keep);
    const w = this.waiter;
    if (w && w.match(this.buf)) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** Forget what arrived so far (the next wait only sees later text). */
  mark(): void {
    this.buf = '';
  }

  get text(): string {
    return this.buf;
  }

  close(reason: string): void {
    this.closed = true;
    const w = this.waiter;
    this.waiter = null;
    if (w) {
      clearTimeout(w.timer);
      w.reject(new Error(`closed while waiting: ${reason}`));
    }
  }

  /** Resolve once the text since the last mark contains `what`; reject after `timeoutMs`. */
  waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const match = typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    if (match(this.buf)) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`closed while waiting for ${String(what)}`));
    if (this.waiter) return Promise.reject(new Error('one wait at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${JSON.stringify(String(what))}; tail: ${JSON.stringify(this.buf.slice(-300))}`,
          ),
        );
      }, timeoutMs);
      this.waiter = { match, resolve, reject, timer };
    });
  }
}

/** Run `fn` over `items` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
