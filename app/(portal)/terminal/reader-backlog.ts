import { flowDecision, READER_WATER_MARKS, type WaterMarks } from '@/lib/terminal/flow';

/**
 * Output handed to xterm.js that it has not parsed yet, and whether the device is held for it
 * (lib/terminal/flow.ts, READER_WATER_MARKS). The pane counts each write in and, from xterm's write
 * callback, out; `say` sends the change (a `flow` frame) when the backlog crosses a mark.
 */
export class ReaderBacklog {
  private chars = 0;
  private behind = false;

  constructor(
    private readonly say: (paused: boolean) => void,
    private readonly marks: WaterMarks = READER_WATER_MARKS,
  ) {}

  /** Before `chars` characters go to xterm. */
  queued(chars: number): void {
    this.chars += chars;
    this.apply();
  }

  /** xterm has parsed them (its write callback). */
  parsed(chars: number): void {
    this.chars -= chars;
    this.apply();
  }

  get size(): number {
    return this.chars;
  }

  private apply(): void {
    const action = flowDecision(this.chars, this.behind, this.marks);
    if (action === 'none') return;
    this.behind = action === 'pause';
    this.say(this.behind);
  }
}
