// The ws engine's hardware/software contract: host-port targets, CSR map and
// counters (the template header, the host program and the README say the same).
/** Host-port targets and CSR numbers of ws_engine (see its header comment). */
export const Sel = { csr: 0, a: 1, b: 2, acc: 3 } as const;
export const Csr = { ctrl: 0, status: 1, m: 2, n: 3, k: 4, aBase: 5, bBase: 6, accBase: 7 } as const;
export const counterNames = ['cycles', 'stallCycles', 'macs', 'aReads', 'bReads', 'accReads', 'accWrites', 'tiles'] as const;
export type WsCounters = Record<(typeof counterNames)[number], number>;
export const firstCounter = 8;

