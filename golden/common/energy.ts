// One energy model for every design: the Eyeriss normalized costs per access
// (Chen et al., ISCA 2016; the tutorial's dataflow comparison): DRAM 200,
// global buffer 6, array (inter-PE) 2, register file (PE-local storage) 1,
// MAC 1. A design maps its counters to accesses per level; the model weighs them.

export const energyLevels = ['dram', 'buffer', 'array', 'rf', 'mac'] as const;
export type EnergyLevel = (typeof energyLevels)[number];
export type LevelAccesses = Record<EnergyLevel, number>;

export const energyCost: Readonly<LevelAccesses> = { dram: 200, buffer: 6, array: 2, rf: 1, mac: 1 };

/** Normalized energy per level and in total (units of one MAC). */
export function normalizedEnergy(a: LevelAccesses): LevelAccesses & { total: number } {
  const e = { dram: 0, buffer: 0, array: 0, rf: 0, mac: 0 };
  for (const l of energyLevels) e[l] = a[l] * energyCost[l];
  return { ...e, total: energyLevels.reduce((s, l) => s + e[l], 0) };
}
