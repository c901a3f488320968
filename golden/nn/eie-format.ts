// The EIE storage format of ../shared/spec/numerics.md: rows interleaved over
// PEs (row i -> PE i mod N, local row i div N), each PE's rows in compressed
// sparse column form with relative row indices and padding entries, and
// per-PE column pointers.

export interface PeColumns {
  /** Codebook index of each stored entry (0 for padding). */
  v: number[];
  /** Zero rows (of this PE) since the previous stored entry of the column. */
  z: number[];
  /** Column pointers: p[j+1] - p[j] = stored entries of column j; length cols + 1. */
  p: number[];
}

/** Encodes an index matrix for `pes` PEs with `indexBits`-bit relative indices. */
export function encodeCsc(index: ArrayLike<number>[], pes: number, indexBits: number): PeColumns[] {
  const rows = index.length;
  const cols = index[0]?.length ?? 0;
  const maxZ = (1 << indexBits) - 1;
  const out: PeColumns[] = [];
  for (let k = 0; k < pes; k++) {
    const pe: PeColumns = { v: [], z: [], p: [0] };
    for (let j = 0; j < cols; j++) {
      let zeros = 0;
      for (let i = k; i < rows; i += pes) {
        const v = index[i]![j]!;
        if (v === 0) {
          zeros++;
          continue;
        }
        // A run longer than maxZ is broken by padding entries of maxZ zeros each.
        for (let n = Math.floor(zeros / (maxZ + 1)); n > 0; n--) {
          pe.v.push(0);
          pe.z.push(maxZ);
        }
        pe.v.push(v);
        pe.z.push(zeros % (maxZ + 1));
        zeros = 0;
      }
      pe.p.push(pe.v.length);
    }
    out.push(pe);
  }
  return out;
}

/** Decodes one PE's columns back to (local row, column, v) triples (padding skipped). */
export function decodeCsc(pe: PeColumns): { row: number; col: number; v: number }[] {
  const out: { row: number; col: number; v: number }[] = [];
  for (let j = 0; j + 1 < pe.p.length; j++) {
    let row = -1;
    for (let e = pe.p[j]!; e < pe.p[j + 1]!; e++) {
      row += pe.z[e]! + 1;
      if (pe.v[e] !== 0) out.push({ row, col: j, v: pe.v[e]! });
    }
  }
  return out;
}

/** Local rows PE k holds of a layer with `rows` rows on `pes` PEs. */
export function localRows(rows: number, pes: number, k: number): number {
  return k < rows ? Math.ceil((rows - k) / pes) : 0;
}
