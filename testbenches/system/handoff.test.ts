// The hand-off package `generate` writes, for every preset: the datasheet
// names every port of the manifest and every memory, the FuseSoC core lists
// the sources in order, files.f holds names relative to itself; and `map rs`
// writes the descriptor the RTL runs (the same words run() loads).
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { designFiles, manifestOf } from '../../generators/common/emit.js';
import { rsPresets } from '../../golden/rs/config.js';
import { parseRsLayer, rsMapFiles } from '../rs/map.js';
import { rsImage } from '../rs/host.js';
import { rsCase } from '../rs/check.js';
import { rsDescriptorFields } from '../../golden/rs/contract.js';
import { InputError } from '../../golden/common/errors.js';

describe('hand-off package', () => {
  for (const d of designs as AnyDesign[]) {
    for (const [preset, cfg] of Object.entries(d.presets)) {
      it(`${d.name} ${preset}: datasheet, core, files.f, memories`, async () => {
        const g = d.generate(cfg);
        const files = await designFiles(g, d.datasheet(cfg));
        const sheet = files.get('datasheet.md')!;
        const man = manifestOf(g);
        for (const p of man.ports)
          expect(sheet, `port ${p.name}`).toContain(`| \`${p.name}\` | ${p.direction} | ${p.width} |`);
        expect(man.memories.length).toBeGreaterThan(0);
        for (const m of man.memories)
          expect(sheet, `memory ${m.path}`).toContain(`| \`${m.path}\` | ${m.count} | ${m.width} | ${m.depth} |`);
        for (const [k, v] of Object.entries(g.parameters)) expect(sheet).toContain(`| \`${k}\` | ${v} |`);
        expect(sheet).toContain(`### \`${d.name}\``); // the numerics section
        const core = files.get(`${g.top}.core`)!;
        expect(core.startsWith('CAPI=2:\n')).toBe(true);
        expect(core.match(/^ {6}- (\S+)$/gm)!.map((l) => l.trim().slice(2))).toEqual(
          g.modules.map((m) => `${m.name}.sv`),
        );
        expect(
          files
            .get('files.f')!
            .split('\n')
            .filter(Boolean)
            .every((f) => !f.includes('/')),
        ).toBe(true);
        // The datasheet stands alone (issue 30): its override example names this design's own
        // parameter, it never points at another design, and an unsigned design is not called two's complement.
        const [param] = Object.keys(g.parameters);
        expect(sheet).toContain(`-G${param}=`);
        expect(sheet).not.toMatch(/as `(ws|os|rs|eie)`|datasheet of|(those|port|targets|CSRs) of (ws|os|rs|eie)\b/);
        // What an integrator had to find by experiment is written down (issue 30) on host-driven designs.
        if (d.name !== 'rs')
          for (const fact of [
            /refused request .* must stay up unchanged/,
            /read 0 and ignores writes|reads 0 and ignores writes/,
            /After reset every CSR/,
            /wrap silently/,
          ])
            expect(sheet).toMatch(fact);
        // No fault-injection parameter in a hand-off unless asked for (issue 30).
        for (const [name, text] of files) expect(String(text), name).not.toMatch(/\bFault[A-Z]/);
        const hooked = await designFiles(d.generate(cfg, { faultHooks: true }), d.datasheet(cfg));
        expect([...hooked.values()].some((t) => /parameter bit\s+FaultEnable/.test(String(t)))).toBe(true);
      });
    }
  }

  it('map rs: the descriptor words equal the image run() loads', () => {
    const cfg = rsPresets['rs-4x4']!;
    for (let s = 1; s <= 5; s++) {
      const c = rsCase(cfg, s);
      const sh = c.problem;
      const layer = {
        N: sh.ifmap.length,
        C: sh.ifmap[0]!.length,
        H: sh.ifmap[0]![0]!.length,
        W: sh.ifmap[0]![0]![0]!.length,
        M: sh.filters.length,
        R: sh.filters[0]![0]!.length,
        S: sh.filters[0]![0]![0]!.length,
        stride: sh.stride,
        padding: sh.padding,
        bias: sh.bias !== undefined,
        relu: !!sh.relu,
      };
      const { files } = rsMapFiles(cfg, parseRsLayer(layer, 'layer.json'));
      const img = rsImage(cfg, c.problem);
      const words = files
        .get('descriptor.hex')!
        .trim()
        .split('\n')
        .map((h) => BigInt(`0x${h}`));
      expect(words).toEqual(rsDescriptorFields.map((_, j) => img.words.get(j)!));
      const json = JSON.parse(files.get('descriptor.json')!);
      expect(json.descriptor.ofmapBase.value).toBe(img.desc.ofmapBase);
      expect(json.dram.words).toBe(img.size);
    }
    expect(() => parseRsLayer({ N: 1, C: 1, H: 4, W: 4, M: 1, R: 3, S: 3, stride: 0 }, 'l.json')).toThrow(InputError);
    expect(() => parseRsLayer({ N: 1, C: 1, H: 4, W: 4, M: 1, R: 3, S: 3, stride: 1, pad: 1 }, 'l.json')).toThrow(
      /unknown key 'pad'/,
    );
  });
});
