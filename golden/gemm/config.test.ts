import { describe, expect, it } from 'vitest';
import { parseWsConfig, wsPresets } from './config.js';
import { InputError } from '../common/errors.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('ws config', () => {
  it('fills defaults for missing keys', () => {
    expect(parseWsConfig({ rows: 2 })).toEqual({
      rows: 2,
      cols: 4,
      dataWidth: 8,
      accWidth: 32,
      signed: true,
      aDepth: 16384,
      bDepth: 16384,
      accDepth: 16384,
      dataflow: 'ws',
      quantDepth: 0,
    });
  });
  it('has the presets of cli.md', () => {
    const buffers = { aDepth: 16384, bDepth: 16384, accDepth: 16384 };
    expect(wsPresets['ws-4x4']).toEqual({
      rows: 4,
      cols: 4,
      dataWidth: 8,
      accWidth: 32,
      signed: true,
      ...buffers,
      dataflow: 'ws',
      quantDepth: 0,
    });
    // ws-16x16 runs int8 networks: an output stage for 1024 columns per pass.
    expect(wsPresets['ws-16x16']).toEqual({
      rows: 16,
      cols: 16,
      dataWidth: 8,
      accWidth: 32,
      signed: true,
      ...buffers,
      dataflow: 'ws',
      quantDepth: 1024,
    });
    // A preset is a complete config: parsing it changes nothing.
    for (const p of Object.values(wsPresets)) expect(parseWsConfig(p)).toEqual(p);
  });
  it('names an unknown key and lists the allowed ones', () => {
    const m = message(() => parseWsConfig({ rowz: 4 }));
    expect(m).toContain("unknown key 'rowz'");
    expect(m).toContain('rows, cols, dataWidth, accWidth, signed, aDepth, bDepth, accDepth');
  });
  it('names the key, the value and the range when out of range', () => {
    expect(message(() => parseWsConfig({ dataWidth: 17 }))).toContain(
      "key 'dataWidth' has value 17; allowed: an integer from 2 to 16",
    );
    expect(message(() => parseWsConfig({ rows: 0 }))).toContain(
      "key 'rows' has value 0; allowed: an integer from 1 to 256",
    );
    expect(message(() => parseWsConfig({ rows: 2.5 }))).toContain("key 'rows' has value 2.5");
    expect(message(() => parseWsConfig({ signed: 'yes' }))).toContain(
      'key \'signed\' has value "yes"; allowed: true or false',
    );
  });
  it('checks accWidth against 2 x dataWidth', () => {
    expect(message(() => parseWsConfig({ dataWidth: 16, accWidth: 24 }))).toContain(
      "key 'accWidth' has value 24; allowed: an integer from 32 (2 x dataWidth 16) to 48",
    );
  });
  it('needs a weight buffer that holds one tile', () => {
    expect(message(() => parseWsConfig({ rows: 8, bDepth: 4 }))).toContain(
      "key 'bDepth' has value 4; allowed: an integer from 8 (rows: one weight tile)",
    );
  });
  it('refuses an output stage it cannot build, naming the key', () => {
    expect(message(() => parseWsConfig({ cols: 4, quantDepth: 6 }))).toContain(
      "key 'quantDepth' has value 6; allowed: 0 or a multiple of cols (4)",
    );
    expect(message(() => parseWsConfig({ quantDepth: 8, signed: false }))).toContain(
      "key 'quantDepth' has value 8; allowed with signed false: 0",
    );
    expect(message(() => parseWsConfig({ quantDepth: 8, dataWidth: 4, accWidth: 8 }))).toContain(
      "key 'accWidth' has value 8; allowed with quantDepth 8: 9 to 48",
    );
  });
  it('rejects a non-object', () => {
    expect(message(() => parseWsConfig([1, 2]))).toContain('must be a JSON object');
  });
});
