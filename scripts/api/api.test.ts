// The public API's surface: every design's handle, and calls that validate
// as the CLI does (typed errors naming the key, the value and what is allowed).
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('has every design with its presets, schema, generator, golden and exact models, simulation and live driver', () => {
    expect(api.designNames()).toEqual(['ws', 'rs', 'eie', 'os']);
    for (const d of [api.ws, api.os, api.rs, api.eie]) {
      expect(Object.keys(d.presets).length).toBeGreaterThan(0);
      expect(Object.keys(d.params).length).toBeGreaterThan(3);
      for (const f of ['generate', 'golden', 'model', 'simulate', 'open', 'parseConfig', 'parseProblem'])
        expect(typeof (d as unknown as Record<string, unknown>)[f], f).toBe('function');
    }
  });

  it('validates a configuration object like the CLI: InputError naming the key, value and range', () => {
    expect(api.config('ws', { rows: 4, cols: 4 })).toMatchObject({ rows: 4, cols: 4 });
    expect(() => api.config('ws', { rows: 0 })).toThrow(api.InputError);
    expect(() => api.config('ws', { rows: 0 })).toThrow(/rows.*0.*1/);
    expect(() => api.config('ws', { rowz: 4 })).toThrow(/rowz/);
    expect(() => api.config('nope', 'x')).toThrow(/unknown design 'nope'; allowed: ws, rs, eie, os/);
    expect(() => api.config(api.rs, 'no-such-preset')).toThrow(/neither a rs preset/);
  });

  it('validates a problem like the CLI before anything is built: InputError naming the field', async () => {
    await expect(api.run('ws', 'ws-4x4', { a: [[1, 2]], b: [[1], [2], [3]] })).rejects.toThrow(api.InputError);
    await expect(api.run('ws', 'ws-4x4', { a: [[1, 2]], b: [[1], [2], [3]] })).rejects.toThrow(
      /'b' has 3 rows; expected 2/,
    );
    await expect(api.run('ws', 'ws-4x4', { a: [[1000, 2]], b: [[1], [2]] })).rejects.toThrow(
      /'a'\[0\]\[0\] = 1000 is out of.*-128/,
    );
  });

  it('generates a configuration in memory: modules, files and the datasheet', async () => {
    const g = await api.generate(api.ws, 'ws-4x4');
    expect(g.design.top).toBe('ws_engine');
    expect([...g.files.keys()]).toEqual(expect.arrayContaining(['files.f', 'manifest.json', 'datasheet.md']));
    expect(g.files.get('ws_engine.sv')).toMatch(/module ws_engine/);
  });
});
