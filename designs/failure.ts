// Shared pieces of the verbs' failure handling: where artifacts go and how a
// case is reproduced.
import { join } from 'node:path';
import type { FaultSpec } from '../core/fault.js';
import { faultName } from '../core/fault.js';

export interface CheckOptions {
  fault?: FaultSpec;
  /** Root of the failure artifacts (default: artifacts). */
  artifacts: string;
}

export function failureDir(o: CheckOptions, design: string, hash: string, seed: number | string): string {
  return join(o.artifacts, `${design}-${hash}-seed${seed}`);
}

export function reproduceVerify(design: string, configArg: string, seed: number, fault?: FaultSpec): string {
  return `npx accelforge verify ${design} --config ${configArg} --seed ${seed} --cases 1${fault ? ` --inject-fault '${faultName(fault)}'` : ''}`;
}

/** The `run --expect` command that repeats a failed run (same input, fault, host stalls and rs objective). */
export function reproduceRun(design: string, configArg: string, input: string, o: { fault?: FaultSpec; stall?: number; objective?: string }): string {
  return `npx accelforge run ${design} --config ${configArg} --input ${input} --output OUT.json --expect` +
    (o.stall ? ` --stall ${o.stall}` : '') + (o.objective ? ` --objective ${o.objective}` : '') + (o.fault ? ` --inject-fault '${faultName(o.fault)}'` : '');
}

/** Indents a multi-line report under a FAIL line. */
export const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
