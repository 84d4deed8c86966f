/** Scrollback kept for a reattaching browser, bounded in characters (oldest output is dropped). */
export const SCROLLBACK_MAX_CHARS = 256 * 1024;

export class Scrollback {
  private chunks: string[] = [];
  private total = 0;

  constructor(private readonly maxChars = SCROLLBACK_MAX_CHARS) {}

  push(text: string): void {
    if (text.length === 0) return;
    if (text.length >= this.maxChars) {
      this.chunks = [text.slice(text.length - this.maxChars)];
      this.total = this.maxChars;
      return;
    }
    this.chunks.push(text);
    this.total += text.length;
    while (this.total > this.maxChars) {
      const first = this.chunks[0]!;
      const excess = this.total - this.maxChars;
      if (first.length <= excess) {
        this.chunks.shift();
        this.total -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.total -= excess;
      }
    }
  }

  /** Everything kept, oldest first; compacts the chunks as a side effect. */
  snapshot(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  get size(): number {
    return this.total;
  }
}
