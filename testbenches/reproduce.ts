// Shared pieces of the verbs' failure handling: where artifacts go and how a
// case is reproduced (shell-quoted, so a pasted line runs only accelforge).
import { join } from 'node:path';
import type { FaultSpec } from '../generators/common/fault.js';
import { faultName } from '../generators/common/fault.js';
import { shellCommand } from './common/shell.js';

export interface CheckOptions {
  fault?: FaultSpec;
  /** Root of the failure artifacts (default: artifacts). */
  artifacts: string;
  /** The simulator of the check (the failure's waveform comes from a Verilator rerun). */
  sim?: 'verilator' | 'icarus';
  /** The design's own flags (e.g. --dataflow), for every case and the reproduce lines. */
  flags?: Record<string, unknown>;
}

/** A design's own flags (DesignFlag keys) as command-line arguments. */
export function flagArgs(flags: Record<string, unknown> = {}): string[] {
  return Object.entries(flags)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)]);
}

export function failureDir(o: CheckOptions, design: string, hash: string, seed: number | string): string {
  return join(o.artifacts, `${design}-${hash}-seed${seed}`);
}

export function reproduceVerify(
  design: string,
  configArg: string,
  seed: number,
  fault?: FaultSpec,
  extra: (string | number)[] = [],
  sim?: string,
): string {
  return shellCommand([
    'npx',
    'accelforge',
    'verify',
    design,
    '--config',
    configArg,
    '--seed',
    seed,
    '--cases',
    1,
    ...(fault ? ['--inject-fault', faultName(fault)] : []),
    ...(sim && sim !== 'verilator' ? ['--sim', sim] : []),
    ...extra,
  ]);
}

/** The `run --expect` command that repeats a failed run (same input, fault, host stalls and design flags). */
export function reproduceRun(
  design: string,
  configArg: string,
  input: string,
  o: { fault?: FaultSpec; stall?: number; flags?: Record<string, unknown>; sim?: string },
): string {
  const flags = flagArgs(o.flags);
  return shellCommand([
    'npx',
    'accelforge',
    'run',
    design,
    '--config',
    configArg,
    '--input',
    input,
    '--output',
    'OUT.json',
    '--expect',
    ...(o.stall ? ['--stall', o.stall] : []),
    ...(o.sim && o.sim !== 'verilator' ? ['--sim', o.sim] : []),
    ...flags,
    ...(o.fault ? ['--inject-fault', faultName(o.fault)] : []),
  ]);
}

/** Indents a multi-line report under a FAIL line. */
export const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
