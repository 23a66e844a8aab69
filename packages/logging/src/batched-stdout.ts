import TransportStream from 'winston-transport';

/** winston's key of a formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

/**
 * Lines to standard output, written together once per turn of the event loop, and at exit.
 * winston's Console transport writes each line at once (a system call, and a wake-up of whatever
 * reads the pipe, per line) and schedules an event per line; under load that was a few per cent
 * of an api worker's CPU for the audit line alone.
 */
export class BatchedStdoutTransport extends TransportStream {
  private lines: string[] = [];
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly output: NodeJS.WritableStream = process.stdout) {
    super();
    process.once('exit', this.flushNow);
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.lines.push(String(info[MESSAGE]));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushNow);
    }
    next();
  }

  /** Writes what is pending; standard output to a pipe or a file is written synchronously. */
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.output.write(text);
  }

  override close(): void {
    this.flush();
    process.off('exit', this.flushNow);
  }
}
