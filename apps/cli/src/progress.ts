import { SingleBar } from 'cli-progress';

const PLAIN_INTERVAL_MS = 1_000;

/**
 * Progress of a walk through the log: a cli-progress bar (count, rate, ETA) when stderr is a
 * terminal, otherwise a plain line at most once a second and one at the end, so logs of a
 * piped or scheduled run stay readable. Always on stderr: stdout may be the data.
 */
export class Progress {
  private readonly bar?: SingleBar;
  private readonly startedAt = Date.now();
  private lastLineAt = 0;
  private lastLine = '';
  private done = 0;
  private handled = 0;

  constructor(
    private readonly label: string,
    /** Store position the walk starts after. */
    private readonly start: number,
    /** Store position it ends at (the head when it began). */
    end: number,
    private readonly unit = 'events',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.total = Math.max(end - start, 0);
    if (stream.isTTY) {
      this.bar = new SingleBar({
        stream,
        format: `${label} |{bar}| {value}/{total} read | {handled} ${unit} | {rate}/s | ETA {eta_formatted}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        etaBuffer: 50,
      });
      this.bar.start(this.total, 0, { handled: 0, rate: 0 });
    }
  }

  private readonly total: number;

  /** `position`: how far the walk got in the log; `handled`: events exported/sent so far. */
  update(position: number, handled: number): void {
    this.done = Math.min(Math.max(position - this.start, 0), this.total);
    this.handled = handled;
    if (this.bar) {
      this.bar.update(this.done, { handled, rate: this.rate() });
      return;
    }
    const now = Date.now();
    if (now - this.lastLineAt >= PLAIN_INTERVAL_MS) {
      this.lastLineAt = now;
      this.line();
    }
  }

  stop(): void {
    if (this.bar) {
      this.bar.update(this.done, { handled: this.handled, rate: this.rate() });
      this.bar.stop();
    } else {
      this.line();
    }
  }

  /** Ends the display without a final line: the error that stopped the walk is the last word. */
  abort(): void {
    this.bar?.stop();
  }

  private line(): void {
    const rate = this.rate();
    const left = this.total - this.done;
    const eta = rate > 0 && left > 0 ? `, ETA ${Math.ceil(left / rate)}s` : '';
    const line = `${this.label}: read ${this.done}/${this.total} (${rate}/s${eta}), ${this.handled} ${this.unit}`;
    // The closing line is left out when it would repeat the last one (a run shorter than a second).
    if (line.replace(/\(.*?\)/, '') === this.lastLine.replace(/\(.*?\)/, '')) return;
    this.lastLine = line;
    this.stream.write(`${line}\n`);
  }

  private rate(): number {
    const seconds = (Date.now() - this.startedAt) / 1000;
    return seconds > 0 ? Math.round(this.done / seconds) : 0;
  }
}
