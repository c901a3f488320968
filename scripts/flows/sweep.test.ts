import { describe, expect, it } from 'vitest';
import { expandGrid, parseShard, readGrid, shardIndices, sweepJunit } from './sweep.js';
import { InputError } from '../../golden/common/errors.js';
import { repoPath } from '../../golden/common/repo.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const repo = (p: string) => repoPath(p);

describe('sweep grids and shards', () => {
  it('expands the committed grids (YAML and JSON) in a fixed order, all valid', () => {
    const ws = readGrid(repo('testbenches/sweeps/ws-grid.yaml'));
    expect(ws.configs).toHaveLength(24);
    expect(ws.configs[0]!.raw).toEqual({
      rows: 2,
      cols: 2,
      dataWidth: 4,
      accWidth: 16,
      aDepth: 256,
      bDepth: 256,
      accDepth: 256,
    });
    expect(ws.configs[1]!.raw.accWidth).toBe(24);
    const os = readGrid(repo('testbenches/sweeps/os-grid.json'));
    expect(os.design.name).toBe('os');
    // Arrays of one dataflow and of both, alternating.
    expect(os.configs).toHaveLength(24);
    expect(os.configs.slice(0, 2).map((c) => c.raw.dataflow)).toEqual(['os', 'both']);
    const rs = readGrid(repo('testbenches/sweeps/rs-grid.yaml'));
    expect(rs.design.name).toBe('rs');
    expect(rs.configs).toHaveLength(24);
    const eie = readGrid(repo('testbenches/sweeps/eie-grid.yaml'));
    expect(eie.design.name).toBe('eie');
    expect(eie.configs).toHaveLength(20);
    expect(eie.skipped + rs.skipped + os.skipped + ws.skipped).toBe(0);
  });

  it('skips combinations a config rule refuses, and counts them', () => {
    const g = expandGrid({ design: 'ws', params: { dataWidth: [8, 16], accWidth: [24, 32] } }, 'grid');
    expect(g.configs.map((c) => c.raw)).toEqual([
      { dataWidth: 8, accWidth: 24 },
      { dataWidth: 8, accWidth: 32 },
      { dataWidth: 16, accWidth: 32 },
    ]);
    expect(g.skipped).toBe(1);
    expect(g.firstSkip).toContain('accWidth');
  });

  it('shards are disjoint and together the whole grid, for every n up to 7', () => {
    for (const count of [1, 5, 24, 31]) {
      for (let n = 1; n <= 7; n++) {
        const all = Array.from({ length: n }, (_, i) => shardIndices(count, [i + 1, n])).flat();
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, k) => k));
      }
    }
  });

  it('refuses deeply nested YAML and devices by name (issue 32: "Maximum call stack size exceeded")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-grid-'));
    const deep = join(dir, 'deep.yaml');
    writeFileSync(deep, 'design: ws\nparams:\n  rows: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n');
    expect(() => readGrid(deep)).toThrow(`grid file '${deep}' nests lists or mappings too deeply to read`);
    const forty = join(dir, 'forty.yaml');
    writeFileSync(forty, 'design: ws\nparams:\n  rows: ' + '['.repeat(40) + '1' + ']'.repeat(40) + '\n');
    expect(() => readGrid(forty)).toThrow('more than 32 levels deep; a grid needs at most 32');
    expect(() => readGrid('/dev/zero')).toThrow("grid '/dev/zero' is not a regular file");
  });

  it('refuses bad grids and shards naming the key and what is allowed', () => {
    expect(() => expandGrid({ design: 'ws', params: { rowz: [1] } }, 'g')).toThrow(
      'params.rowz is not a ws parameter; allowed: rows',
    );
    expect(() => expandGrid({ design: 'ws', params: { rows: { from: 4, to: 2 } } }, 'g')).toThrow(
      'expected {from, to, step}',
    );
    expect(() => expandGrid({ design: 'nope', params: {} }, 'g')).toThrow("unknown design 'nope'");
    expect(() => expandGrid({ design: 'ws', params: { rows: [] } }, 'g')).toThrow(InputError);
    expect(() => expandGrid({ design: 'ws', params: { dataWidth: [16], accWidth: [24] } }, 'g')).toThrow(
      'no combination is a valid ws configuration',
    );
    // Issue 32: an inherited name, a null params, ranges too large or unsafe (counted before expansion).
    expect(() => expandGrid(JSON.parse('{"design":"ws","params":{"__proto__":[1]}}'), 'g')).toThrow(
      'params.__proto__ is not a ws parameter',
    );
    expect(() => expandGrid({ design: 'ws', params: null }, 'g')).toThrow(
      "'params' is null; expected an object of parameter -> values",
    );
    expect(() => expandGrid({ design: 'ws', params: { rows: { from: 1, to: 1e12 } } }, 'g')).toThrow(
      'params.rows has 1000000000000 values; at most 10000',
    );
    expect(() => expandGrid({ design: 'ws', params: { rows: { from: -1e308, to: 1e308 } } }, 'g')).toThrow(
      'with safe integers from <= to',
    );
    expect(
      expandGrid({ design: 'ws', params: { rows: { from: 2, to: 9, step: 3 } } }, 'g').configs.map((c) => c.raw),
    ).toEqual([{ rows: 2 }, { rows: 5 }, { rows: 8 }]);
    expect(() => parseShard('100000000000000000000/100000000000000000000')).toThrow('(safe integers)');
    expect(() => parseShard('0/4')).toThrow("--shard '0/4'");
    expect(() => parseShard('5/4')).toThrow('1 <= i <= n');
    expect(parseShard('2/4')).toEqual([2, 4]);
  });

  it('writes a JUnit test case per configuration, failures with their first line', () => {
    const x = sweepJunit({
      schema: 's',
      design: 'ws',
      shard: [1, 2],
      total: 2,
      skipped: 0,
      cases: [
        { index: 0, name: 'rows=1', config: { rows: 1 }, passed: true, seconds: 1.5, log: ['PASS case 1/1'] },
        {
          index: 2,
          name: 'rows=3 <x>',
          config: { rows: 3 },
          passed: false,
          seconds: 2,
          log: ['FAIL case 1/1 c[0][0] expected 1, got 2'],
        },
      ],
    });
    expect(x).toContain('tests="2" failures="1"');
    expect(x).toContain('name="[2] rows=3 &lt;x&gt;"');
    expect(x).toContain('<failure message="FAIL case 1/1 c[0][0] expected 1, got 2">');
  });
});
