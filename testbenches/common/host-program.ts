// The host-transaction program: the text a design's host side writes (one
// transaction per line) and the answers a harness records. Both simulators'
// harnesses execute it; this module is the pure part (no simulator).
//   W <sel> <addr> <hex data>   a write      R <sel> <addr>  a read
//   WAIT                        until done   MARK <label>    note the cycle
// Answers: `R <hex> <cycle>` per read, `MARK <label> <cycle>`, `cycles <n>`.
import { fromBits } from '../../golden/common/numerics.js';

/** Packs w-bit values little-endian (element 0 in the low bits) as hex. */
export function packHex(values: bigint[], w: number): string {
  let v = 0n;
  const mask = (1n << BigInt(w)) - 1n;
  for (let i = values.length - 1; i >= 0; i--) v = (v << BigInt(w)) | (values[i]! & mask);
  return v.toString(16);
}

/** Parses the harness output: read answers in order, marks, total cycles. */
export function parseHostOutput(text: string) {
  const reads: bigint[] = [];
  const readCycles: number[] = [];
  const marks: Record<string, number> = {};
  let cycles = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('R ')) {
      const [, hex, c] = line.split(' ');
      reads.push(BigInt(`0x${hex}`));
      readCycles.push(Number(c));
    } else if (line.startsWith('MARK ')) {
      const [, label, c] = line.split(' ');
      marks[label!] = Number(c);
    } else if (line.startsWith('cycles ')) cycles = Number(line.slice(7));
  }
  return { reads, readCycles, marks, cycles };
}

/**
 * The same program with a reset in the middle of a run: the writes up to the
 * first WAIT (loading and starting the design) run, then `idle` cycles of
 * work, then reset, then the whole program again. The outputs must be those
 * of the plain program: nothing may survive a reset.
 */
export function withMidRunReset(program: string, idle = 25): string {
  const lines = program.split('\n');
  const firstWait = lines.findIndex((l) => l.startsWith('WAIT'));
  const head = lines.slice(0, firstWait < 0 ? lines.length : firstWait).filter((l) => l.startsWith('W '));
  return [...head, `IDLE ${idle}`, 'RESET', program].join('\n');
}

/** The count w-bit values of a packed row (element 0 in the low bits). */
export function unpackRow(row: bigint, count: number, w: number, signed: boolean): bigint[] {
  let v = row;
  const mask = (1n << BigInt(w)) - 1n;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++, v >>= BigInt(w)) out.push(fromBits(v & mask, w, signed));
  return out;
}
