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

/** Read requests of CSRs (target 0) by number: a checked run's reads after reset, of read-backs and at its end. */
export const csrReadLines = (addrs: readonly number[]) => addrs.map((a) => `R 0 ${a}`).join('\n');

/**
 * Splits the harness output of a program that opened with `n` reset reads:
 * their answers, and the output without them (what the design's decoder reads).
 */
export function takeLeadingReads(text: string, n: number): { reads: bigint[]; rest: string } {
  const reads: bigint[] = [];
  const rest = text.split('\n').filter((l) => {
    if (reads.length >= n || !l.startsWith('R ')) return true;
    reads.push(BigInt(`0x${l.split(' ')[1]}`));
    return false;
  });
  return { reads, rest: rest.join('\n') };
}

/** The last `n` read answers of a harness output, and the output without them. */
export function takeTrailingReads(text: string, n: number): { reads: bigint[]; rest: string } {
  const lines = text.split('\n');
  const at = lines.flatMap((l, i) => (l.startsWith('R ') ? [i] : [])).slice(-n);
  const reads = at.map((i) => BigInt(`0x${lines[i]!.split(' ')[1]}`));
  return { reads, rest: lines.filter((_, i) => !at.includes(i)).join('\n') };
}

/** The first CSR whose value after reset is not the documented one, as a message; undefined when all are. */
export function resetMismatch(
  csrs: readonly { name: string; addr: number }[],
  reads: readonly bigint[],
  expected: (name: string, index: number) => bigint,
): string | undefined {
  for (let i = 0; i < csrs.length; i++) {
    const want = expected(csrs[i]!.name, i);
    if (reads[i] !== want)
      return `after reset CSR ${csrs[i]!.name} (${csrs[i]!.addr}) read 0x${(reads[i] ?? 0n).toString(16)}, the datasheet's reset value is 0x${want.toString(16)}`;
  }
  return undefined;
}

/** A read-write CSR a checked run bit-bashes, with the bits it keeps (datasheet). */
export interface BashedCsr {
  name: string;
  addr: number;
  mask: bigint;
}

/** The two patterns each bit-bashed CSR is written with (every bit both ways). */
export const bitBashPatterns = [0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan];

/** Each CSR (target 0) written with both patterns and read back after each, then every one written 0. */
export function bitBashLines(bash: readonly BashedCsr[]): string[] {
  return [
    ...bash.flatMap((c) => bitBashPatterns.flatMap((v) => [`W 0 ${c.addr} ${v.toString(16)}`, `R 0 ${c.addr}`])),
    ...bash.map((c) => `W 0 ${c.addr} 0`),
  ];
}

/** The first read-back (two per CSR, in bitBashLines's order) that is not the pattern's kept bits, as a message. */
export function bitBashMismatch(bash: readonly BashedCsr[], reads: readonly bigint[]): string | undefined {
  for (const [i, c] of bash.entries())
    for (const [j, v] of bitBashPatterns.entries()) {
      const got = reads[2 * i + j];
      if (got !== (v & c.mask))
        return `CSR ${c.name} (${c.addr}) written 0x${v.toString(16)} read back 0x${(got ?? 0n).toString(16)}; it keeps bits 0x${c.mask.toString(16)} (datasheet)`;
    }
  return undefined;
}
