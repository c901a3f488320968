// Proof that the checks catch bugs: each design generated with a flipped
// product bit in one PE must fail, and the report must name that PE (by the
// output for the column or PE, by the trace for the row) and the cycles.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wsPresets } from '../../generators/config/ws.js';
import { eiePresets } from '../../generators/config/eie.js';
import { rsPresets } from '../../generators/config/rs.js';
import { generateWs } from '../../generators/ws/generate.js';
import { generateEie } from '../../generators/eie/generate.js';
import { generateRs } from '../../generators/rs/generate.js';
import { gemm } from '../../golden/ws.js';
import { eieChain } from '../../golden/eie.js';
import { Random } from '../random.js';
import { runWsEngine } from '../ws/engine.js';
import { firstGemmMismatch } from '../ws/check.js';
import { randomWsProblem } from '../ws/problem.js';
import { wsFailureArtifacts } from '../ws/failure.js';
import { runEie } from '../eie/engine.js';
import { firstEieMismatch } from '../eie/check.js';
import { randomEieProblem } from '../eie/problem.js';
import { eieFailureArtifacts } from '../eie/failure.js';
import { runRs } from '../rs/engine.js';
import { randomConvProblem } from '../rs/problem.js';
import { firstRsMismatch, rsFailureArtifacts } from '../rs/failure.js';
import { annotateFailure, testArtifactsDir } from '../../test/failure.js';
import type { FailureArtifacts } from './report.js';
import { timeOfCycle } from './report.js';

// The first case of each design also writes the FST (a second build); the others only the VCD.
const withFst = (i: number) => i === 0;

function expectArtifacts(a: FailureArtifacts, markerCycle: number, fst: boolean) {
  for (const f of ['waves.vcd', 'waves.gtkw', 'waves.svg', 'report.txt', 'report.json']) expect(existsSync(join(a.dir, f)), f).toBe(true);
  expect(existsSync(join(a.dir, 'waves.fst'))).toBe(fst);
  const gtkw = readFileSync(join(a.dir, 'waves.gtkw'), 'utf8');
  expect(gtkw).toContain(`*-4.000000 ${timeOfCycle(markerCycle) + 1n} `);
  expect(gtkw).toMatch(fst ? /\[dumpfile\] ".*waves\.fst"/ : /\[dumpfile\] ".*waves\.vcd"/);
  expect(readFileSync(join(a.dir, 'waves.svg'), 'utf8')).toMatch(/^<svg/);
  expect(readFileSync(join(a.dir, 'waves.vcd'), 'utf8')).toContain('$enddefinitions');
  const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
  expect(json.cycle).toBe(markerCycle);
  expect(a.report).toMatch(/reproduce: /);
}

const findingCycle = (a: FailureArtifacts) => Number(/cycle (\d+)/.exec(a.findings[0] ?? '')?.[1] ?? NaN);

describe('fault injection: ws-4x4', () => {
  const cfg = wsPresets['ws-4x4']!;
  const p = randomWsProblem(cfg, { m: 9, k: 7, n: 6 }, new Random(2));
  it.for([[0, 0, 0], [2, 1, 1], [3, 3, 2]] as const)('a flipped product bit in PE (%i, %i) is caught and localized', async ([r, c, n], { annotate }) => {
    const design = generateWs(cfg, { fault: { pe: [r, c], bit: 1 } });
    const res = await runWsEngine(cfg, p, { design });
    const bad = firstGemmMismatch(gemm(cfg, p), res.c);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.j % cfg.cols).toBe(c);
    const a = await wsFailureArtifacts({ cfg, configArg: 'ws-4x4', problem: p, result: res, design, reproduce: 'test', dir: testArtifactsDir(`fault-ws-${r}-${c}`), fst: withFst(n) }, bad!);
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done0 });
    expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
    const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
    expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
    expect(findingCycle(a)).toBeLessThan(json.cycle);
    expectArtifacts(a, json.cycle, withFst(n));
  });
});

describe('fault injection: rs-4x4', () => {
  const cfg = rsPresets['rs-4x4']!;
  // R = 4 filter rows and 8 output rows in strips of 4: every PE works.
  const p = randomConvProblem(cfg, { N: 1, C: 3, H: 9, W: 8, M: 5, R: 4, S: 3, stride: 1, padding: 1 }, new Random(3));
  it.for([[0, 0, 0], [1, 2, 1], [3, 3, 2]] as const)('a flipped product bit in PE (%i, %i) is caught and localized', async ([r, c, n], { annotate }) => {
    const design = generateRs(cfg, { fault: { pe: [r, c], bit: 2 } });
    const res = await runRs(cfg, p, { design });
    const bad = firstRsMismatch(cfg, p, res);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.column).toBe(c);
    expect(bad!.cycle).toBe(res.ofmapCycle(bad!.n, bad!.m, bad!.e, bad!.f));
    const a = await rsFailureArtifacts({ cfg, configArg: 'rs-4x4', problem: p, result: res, design, reproduce: 'test', dir: testArtifactsDir(`fault-rs-${r}-${c}`), fst: withFst(n) }, bad!);
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: bad!.cycle });
    expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
    expect(findingCycle(a)).toBeLessThan(bad!.cycle);
    expectArtifacts(a, bad!.cycle, withFst(n));
  });
});

describe('fault injection: eie-4pe', () => {
  const cfg = eiePresets['eie-4pe']!;
  // Small codebook and activations so no sum saturates and the flip shows.
  const p = randomEieProblem(cfg, 30, [{ rows: 20, weightDensity: 0.5, shift: 0 }], 0.8, new Random(2));
  p.layers[0]!.codebook = p.layers[0]!.codebook.map((_, v) => (v ? BigInt(v * 3 - 20) : 0n));
  p.activations = p.activations.map((x) => x % 200n);
  it.for([[0, 0], [1, 1], [3, 2]] as const)('a flipped product bit in PE %i is caught and localized', async ([k, n], { annotate }) => {
    const design = generateEie(cfg, { fault: { pe: [k], bit: 3 } });
    const res = await runEie(cfg, p, { design });
    const bad = firstEieMismatch(eieChain(cfg.accWidth, p.activations, p.layers).at(-1)!, res.b);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.i % cfg.pes).toBe(k);
    const a = await eieFailureArtifacts({ cfg, configArg: 'eie-4pe', problem: p, result: res, design, reproduce: 'test', dir: testArtifactsDir(`fault-eie-${k}`), fst: withFst(n) }, bad!);
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done });
    expect(a.findings[0]).toContain(`PE ${k} `);
    const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
    expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
    expect(findingCycle(a)).toBeLessThan(json.cycle);
    expectArtifacts(a, json.cycle, withFst(n));
  });
});
