// Progress of long work (cli-progress): a bar with counts and elapsed time
// on a terminal (stderr), plain lines when stderr is not a terminal (if
// asked), nothing when quiet (e.g. --json to stdout).
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the done count (and the label of what runs now). */
  update(done: number, label?: string): void;
  /** Prints a line of the work's own output without tearing the bar (stdout off a terminal). */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  /** What is counted (images, cases, layers). */
  unit: string;
  /** Off a terminal: plain lines ('lines'), or nothing ('quiet'). */
  offTty?: 'lines' | 'quiet';
  /** Force quiet (machine-readable output on stdout). */
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

export function progress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const t0 = performance.now();
  const plain = (line: string) => void process.stdout.write(line + '\n');
  if (o.quiet) return { update: () => {}, log: plain, stop: () => {} };
  if (stream.isTTY) {
    // A multi-bar of one: its log() prints above the bar, so the work's own lines and the bar share the terminal.
    const multi = new cliProgress.MultiBar(
      {
        stream,
        format: `{bar} {value}/{total} ${o.unit} | {label} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = multi.create(o.total, 0, { label: '' });
    return {
      update: (done, label) => bar.update(done, { label: label ?? '' }),
      log: (line) => (process.stdout.isTTY ? multi.log(line + '\n') : plain(line)),
      stop: () => multi.stop(),
    };
  }
  if ((o.offTty ?? 'lines') === 'quiet') return { update: () => {}, log: plain, stop: () => {} };
  let last = -1;
  return {
    log: plain,
    update(done, label) {
      if (done === last) return;
      last = done;
      stream.write(
        `${done}/${o.total} ${o.unit}${label ? ` ${label}` : ''} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
      );
    },
    stop() {},
  };
}
