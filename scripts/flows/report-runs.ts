// The report's sections for the results of runs (verify, sweep, model,
// compress, compare, the onnxruntime agreement): a title, a rank (failures
// first) and HTML, from each result's JSON; a failure shows its facts, its
// WaveDrom picture and the command that reproduces it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { parseWith } from '../../golden/common/schema.js';
import { readJsonFile } from '../../testbenches/common/json.js';
import { failureFacts } from './run-schema.js';
import { join } from 'node:path';
import * as B from './bench-results.js';
import * as C from './report-charts-networks.js';
import { compareEnergyChart } from './report-charts.js';
import type { CompareReport } from './compare.js';
import type { ModelReport } from './model.js';
import type { EieModelReport } from './model-eie.js';
import type { SweepReport } from './sweep.js';
import type { VerifyReport } from '../../testbenches/verbs.js';
import type { CompressStats } from '../nn/compress-stats.js';
import { chartSvg, esc, figure, markdownToHtml, pct, scopeSvgIds } from './report-html.js';
import { binsHtml, coverageHtml, mutationChart } from './report-coverage.js';
import { mutationTable } from './tables/mutation.js';
import type { MutationReport } from '../../testbenches/mutation/run.js';

/** SCALE-Sim's analytical estimate beside the RTL-checked cycles, per layer (ws, os). */
function scaleSimTable(c: CompareReport): string[] {
  const rows = c.rows.filter((x) => x.scaleSim);
  if (!rows.length) return [];
  return [
    "<p>SCALE-Sim's analytical cycles beside the RTL-checked cycle models (error = SCALE-Sim / ours - 1):</p>",
    tbl(
      [
        '| layer | design | cycles (ours) | SCALE-Sim | error |',
        '|---|---|---|---|---|',
        ...rows.map(
          (x) =>
            `| ${x.layer} | ${x.design} | ${x.cycles} | ${x.scaleSim!.cycles} | ${(100 * x.scaleSim!.error).toFixed(1)} % |`,
        ),
      ].join('\n'),
    ),
  ];
}

type Make = (title: string, rank: number, body: string[]) => { title: string; rank: number; body: string[] };
const tbl = (md: string) => markdownToHtml(md);

/** A failure folder's facts and pictures (report.json, waves.svg). */
export function failureBody(c: VerifyReport['cases'][number]): string[] {
  const f = c.failure!;
  const out = [
    `<div class="failure"><h3>case ${c.index}: seed ${c.seed}, ${esc(c.describe)}</h3>`,
    `<p class="fail">FAIL: ${esc(f.message)}</p>`,
  ];
  let facts: z.infer<typeof failureFacts> | undefined;
  if (f.artifacts) {
    const rj = join(f.artifacts, 'report.json');
    try {
      facts = parseWith(failureFacts, readJsonFile(rj, 'failure report'), `failure report '${rj}'`);
    } catch (e) {
      out.push(
        `<p class="note">The failure report ${esc(rj)} could not be read (${esc((e as Error).message.split('\n').slice(0, 2).join(' '))}); the artifacts folder may have moved or been removed.</p>`,
      );
    }
  }
  const rows: [string, unknown][] = [
    ['element', f.element],
    ['expected', f.expected],
    ['actual', f.actual],
    ['produced by', facts?.pe],
    [
      'left the RTL at cycle',
      facts?.cycle !== undefined ? `${facts.cycle}${facts.cycleNote ? ` (${facts.cycleNote})` : ''}` : undefined,
    ],
    ['config hash', facts?.configHash],
    ['injected fault', facts?.fault],
    ['trace window (cycles)', facts?.window?.join(' .. ')],
    ...(facts?.findings ?? []).map((x): [string, unknown] => ['finding', x]),
  ];
  out.push(
    `<table class="facts"><tbody>${rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
      .join('')}</tbody></table>`,
  );
  if (f.artifacts) {
    const svg = join(f.artifacts, 'waves.svg');
    // A regular file only (a folder or a device in its place is skipped), of a bounded size.
    if (existsSync(svg) && statSync(svg).isFile() && statSync(svg).size <= 64 * 2 ** 20)
      out.push(
        figure(
          scopeSvgIds(readFileSync(svg, 'utf8')),
          `WaveDrom view of the key signals up to the failing cycle (${svg}); the full trace is waves.fst / waves.vcd beside it`,
        ),
      );
    out.push(`<p>artifacts: <code>${esc(f.artifacts)}</code></p>`);
  }
  out.push(`<p>reproduce:</p><pre>${esc(f.reproduce)}</pre></div>`);
  return out;
}

/** The section of each run-result schema. */
export const runSections: Record<
  string,
  (d: Record<string, unknown>, s: Make) => ReturnType<Make> | Promise<ReturnType<Make>>
> = {
  'accelforge.verify/1': async (d, s) => {
    const v = d as unknown as VerifyReport;
    const failed = v.cases.filter((c) => !c.passed);
    const summary = `<p class="${failed.length ? 'fail' : 'pass'}">${v.passed} passed, ${v.failed} failed: <code>${esc(v.design)}</code> config <code>${esc(v.config)}</code> (${esc(v.configHash)}), seeds ${v.seed}..${v.seed + v.cases.length - 1}${v.fault ? `, injected fault ${esc(v.fault)}` : ''}</p>`;
    const cases = `<table><thead><tr><th>case</th><th>seed</th><th>problem</th><th>result</th><th>RTL cycles</th><th>model cycles</th></tr></thead><tbody>${v.cases.map((c) => `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${c.index}</td><td>${c.seed}</td><td>${esc(c.describe)}</td><td>${c.passed ? 'PASS' : 'FAIL'}</td><td>${c.cycles}</td><td>${c.modelCycles ?? ''}</td></tr>`).join('')}</tbody></table>`;
    return s(
      `verify ${v.design} ${v.config}: ${failed.length ? `${failed.length} FAILED` : 'all passed'}`,
      failed.length ? 0 : 5,
      [
        summary,
        ...failed.flatMap(failureBody),
        cases,
        ...(v.functional ? [binsHtml(v.functional)] : []),
        ...(v.coverage ? await coverageHtml(v.coverage, `${v.design} ${v.config}: code coverage by module`) : []),
      ],
    );
  },
  'accelforge.mutate/1': async (d, s) => {
    const m = d as unknown as MutationReport;
    const survivors = m.results.filter((x) => x.status === 'survived');
    const rows = survivors
      .map(
        (x) =>
          `<tr><td>${x.id}</td><td>${esc(x.kind)}</td><td>${esc(x.what)}</td><td><pre>${esc(x.diff)}</pre></td><td>${esc(x.explained ?? 'not explained')}</td></tr>`,
      )
      .join('');
    return s(`mutate ${m.design} ${m.config}: score ${(100 * m.score).toFixed(1)} %`, m.score >= 0.95 ? 5 : 2, [
      `<p>${m.killed} of ${m.killed + m.survived} mutants killed with ${m.casesPerMutant} cases each (${esc(m.sim)}, seed ${m.seed}); ${m.equivalent} equivalent and ${m.stillborn} stillborn not counted; ${m.notElaborated} of ${m.candidates} candidates on lines this configuration does not elaborate.</p>`,
      figure(await chartSvg(mutationChart(m))),
      tbl(mutationTable([m])),
      survivors.length
        ? `<table><thead><tr><th>mutant</th><th>kind</th><th>mutation</th><th>diff</th><th>why it survives</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>No survivors.</p>',
    ]);
  },
  'accelforge.sweep/1': async (d, s) => {
    const w = d as unknown as SweepReport;
    const bad = w.cases.filter((c) => !c.passed);
    const rows = w.cases
      .map(
        (c) =>
          `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${c.index}</td><td><code>${esc(JSON.stringify(c.config))}</code></td><td>${c.passed ? 'PASS' : 'FAIL'}</td><td>${c.seconds.toFixed(1)} s</td></tr>`,
      )
      .join('');
    const logs = bad.flatMap((c) => [
      `<h3>${esc(c.name)}</h3>`,
      ...(c.failures ?? []).flatMap(failureBody),
      `<pre>${esc(c.log.join('\n'))}</pre>`,
    ]);
    return s(
      `sweep ${w.design}, shard ${w.shard.join('/')}: ${bad.length ? `${bad.length} of ${w.cases.length} FAILED` : `${w.cases.length} configurations passed`}`,
      bad.length ? 0 : 6,
      [
        `<table><thead><tr><th>#</th><th>configuration</th><th>result</th><th>time</th></tr></thead><tbody>${rows}</tbody></table>`,
        ...logs,
        ...(w.coverage ? await coverageHtml(w.coverage, `sweep ${w.design}: code coverage by module`) : []),
      ],
    );
  },
  'accelforge.bench.onnxruntime-agreement/1': (d, s) => {
    const m = d.maxAbsDiff as Record<string, number>;
    return s('Float models against onnxruntime', 4, [
      `<table><thead><tr><th>model</th><th>max |ours - onnxruntime| over ${esc(d.images)} images</th></tr></thead><tbody>${Object.entries(
        m,
      )
        .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v.toExponential(2)}</td></tr>`)
        .join('')}</tbody></table>`,
    ]);
  },
  'accelforge.model/1': async (d, s) => {
    const m = d as unknown as ModelReport | EieModelReport;
    const facts = `<p>${m.imageIds.length} test images; accuracy float ${pct(m.floatAccuracy)}, ${'perImage' in m ? 'compressed' : 'quantized'} golden ${pct(m.quantizedAccuracy)}, RTL ${pct(m.accuracy)}; ${m.cycles} RTL cycles in all; simulation ${m.simSeconds.toFixed(1)} s, wall ${m.wallSeconds.toFixed(1)} s.</p>`;
    const layers = `<table><thead><tr><th>layer</th><th>shape</th><th>MACs</th><th>cycles</th><th>utilization / load efficiency</th><th>mapping</th></tr></thead><tbody>${m.layers.map((l) => `<tr><td>${esc(l.name)}</td><td>${esc(l.shape)}</td><td>${l.macs}</td><td>${l.cycles}</td><td>${pct(l.utilization)}</td><td>${esc(l.mapping)}</td></tr>`).join('')}</tbody></table>`;
    return s(`Model ${m.model} on ${m.design} ${m.config}`, 3, [
      facts,
      `<div class="row">${figure(await chartSvg(C.modelAccuracyChart(m)))}${figure(await chartSvg(C.modelCyclesChart(m)))}</div>`,
      layers,
    ]);
  },
  'accelforge.compress/2': async (d, s) => {
    const c = d as unknown as CompressStats;
    return s(`Deep Compression of ${c.model}`, 3, [
      `<div class="row">${figure(await chartSvg(C.compressDensityChart(c)))}${figure(await chartSvg(C.compressBitsChart(c)))}</div>`,
      tbl(B.compressionTable(c)),
    ]);
  },
  'accelforge.compress-search/1': async (d, s) => {
    const c = d as unknown as B.CompressSearchResult;
    return s(`Deep Compression recipe search: ${c.model}`, 3, [
      `<p>${esc(c.rule)}</p>`,
      figure(await chartSvg(C.compressSearchChart(c))),
      tbl(B.compressSearchTable(c)),
    ]);
  },
  'accelforge.compare/1': async (d, s) => {
    const c = d as unknown as CompareReport;
    return s(`Dataflow comparison: ${c.layers}, batch ${c.batch}`, 1, [
      figure(await chartSvg(compareEnergyChart(c))),
      `<p>${esc(c.note ?? '')}</p>`,
      ...scaleSimTable(c),
    ]);
  },
};
