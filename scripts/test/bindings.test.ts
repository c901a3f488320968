// The committed port bindings (generators/<design>/*.binding.ts) are what
// the generators write today: a port renamed in a template must reach them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindings } from '../gen-bindings.js';

describe('testbench bindings', () => {
  it('keeps the committed testbench bindings in step with the generators', () => {
    for (const b of bindings) {
      const path = fileURLToPath(new URL(b.path, new URL('../gen-bindings.ts', import.meta.url)));
      expect(readFileSync(path, 'utf8')).toBe(b.make());
    }
  });
});
