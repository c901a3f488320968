// The checked-run prelude's CSR bit-bash: the lines it writes and how it reads the answers.
import { describe, expect, it } from 'vitest';
import { bitBashLines, bitBashMismatch } from './host-program.js';

const bash = [
  { name: 'rows', addr: 8, mask: 0xffff_ffffn },
  { name: 'flags', addr: 10, mask: 0x3fn },
];

describe('CSR bit-bash', () => {
  it('writes both patterns into each CSR, reading back after each, then zero', () => {
    expect(bitBashLines(bash)).toEqual([
      'W 0 8 5555555555555555',
      'R 0 8',
      'W 0 8 aaaaaaaaaaaaaaaa',
      'R 0 8',
      'W 0 10 5555555555555555',
      'R 0 10',
      'W 0 10 aaaaaaaaaaaaaaaa',
      'R 0 10',
      'W 0 8 0',
      'W 0 10 0',
    ]);
  });

  it('accepts the kept bits of each pattern and names the first CSR that answers otherwise', () => {
    const good = [0x5555_5555n, 0xaaaa_aaaan, 0x15n, 0x2an];
    expect(bitBashMismatch(bash, good)).toBeUndefined();
    // A flags register that drops bit 5.
    expect(bitBashMismatch(bash, [...good.slice(0, 3), 0x0an])).toBe(
      'CSR flags (10) written 0xaaaaaaaaaaaaaaaa read back 0xa; it keeps bits 0x3f (datasheet)',
    );
  });
});
