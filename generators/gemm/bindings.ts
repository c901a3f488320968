// The committed port bindings of the family's generated tops
// (scripts/gen-bindings.ts finds this file in every generator folder and
// writes them; the host side imports them). Pure: generator and presets only.
import { generateGemm, generateGemmArray } from './generate.js';
import { osPresets, wsPresets } from '../../golden/gemm/config.js';

export const bindings = [
  { file: 'ws_array.binding.ts', make: () => generateGemmArray('ws', wsPresets['ws-4x4']!) },
  { file: 'ws_engine.binding.ts', make: () => generateGemm('ws', wsPresets['ws-4x4']!) },
  { file: 'os_engine.binding.ts', make: () => generateGemm('os', osPresets['os-4x4']!) },
];
