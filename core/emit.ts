import type { GeneratedDesign } from './design.js';

export interface Manifest {
  design: string;
  top: string;
  configHash: string;
  config: object;
  parameters: Record<string, number | boolean>;
  ports: { name: string; direction: string; width: number; dims: number[]; doc: string }[];
  files: string[];
}

export function manifestOf(d: GeneratedDesign): Manifest {
  return {
    design: d.design,
    top: d.top,
    configHash: d.configHash,
    config: d.config,
    parameters: d.parameters,
    ports: d.ports.map(({ name, direction, width, dims, doc }) => ({ name, direction, width, dims, doc })),
    files: d.modules.map((m) => `${m.name}.sv`),
  };
}

/** The files of a generated design, by name. ts-morph loads only here (0.4 s). */
export async function designFiles(d: GeneratedDesign): Promise<Map<string, string>> {
  const { bindingSource } = await import('./binding.js');
  const files = new Map<string, string>();
  for (const m of d.modules) files.set(`${m.name}.sv`, m.text);
  files.set('files.f', d.modules.map((m) => `${m.name}.sv`).join('\n') + '\n');
  files.set('manifest.json', JSON.stringify(manifestOf(d), null, 2) + '\n');
  files.set('binding.ts', bindingSource(d));
  return files;
}

/** Writes a generated design's files as a folder (core/output.ts: atomic, never over a folder accelforge did not write). */
export { writeDirAtomic } from './output.js';
