// --config resolution through the registry: a preset by name, a JSON file,
// and the refusals that name the presets.
import { describe, expect, it } from 'vitest';
import { designByName, loadConfig } from '../registry.js';
import { InputError } from '../../golden/common/errors.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('loadConfig', () => {
  const ws = designByName('ws');
  it('resolves a preset to its complete config', () => {
    expect((loadConfig(ws, 'ws-16x16') as { rows: number }).rows).toBe(16);
  });
  it('refuses an unknown preset or a missing file, naming the presets', () => {
    expect(message(() => loadConfig(ws, 'ws-8x8'))).toContain(
      "'ws-8x8' is neither a ws preset (ws-4x4, ws-16x16, ws-256, ws-16x16-both, ws-16x16-int8, tpu-v1)",
    );
    expect(message(() => loadConfig(ws, '/nonexistent/c.json'))).toContain(
      "'/nonexistent/c.json' cannot be read (no such file)",
    );
  });
  it('refuses an unknown design, naming the designs', () => {
    expect(message(() => designByName('tpu'))).toMatch(/unknown design 'tpu'; allowed: ws, rs, eie, os/);
  });
});
