import type { ConfigByDesign, Design } from './config-registry.js';
import type { GeneratedDesign } from '../core/design.js';
import type { GenerateOptions } from '../core/fault.js';
import { generateWs } from './ws/generate.js';
import { generateEie } from './eie/generate.js';
import { generateRs } from './rs/generate.js';

/** Generates the RTL of one design for a validated config. */
export function generate<D extends Design>(design: D, cfg: ConfigByDesign[D], o: GenerateOptions = {}): GeneratedDesign {
  switch (design) {
    case 'ws':
      return generateWs(cfg as ConfigByDesign['ws'], o);
    case 'eie':
      return generateEie(cfg as ConfigByDesign['eie'], o);
    case 'rs':
      return generateRs(cfg as ConfigByDesign['rs'], o);
    default:
      throw new Error(`no generator for ${design}`);
  }
}
