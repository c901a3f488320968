// The eie engine's hardware/software contract: host-port targets and the per-PE counters.
export const EieSel = { csr: 0, ptr: 1, mat: 2, bias: 3, cb: 4, act: 5, cnt: 6 } as const;
export const peCounterNames = ['busy', 'starved', 'entries', 'padding', 'queueFull'] as const;
export type PeCounters = Record<(typeof peCounterNames)[number], number>;

