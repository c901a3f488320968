#!/usr/bin/env node
// `accelforge` entry: runs the CLI compiled to JavaScript (scripts/cli-compiled.mjs),
// or the TypeScript through tsx's loader where that cannot be built (or with ACCELFORGE_TSX=1).
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledCli } from './cli-compiled.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = process.env.ACCELFORGE_TSX === '1' ? null : await compiledCli(root);
let main;
if (compiled) {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli/index.ts'));
}
process.exitCode = await main(process.argv);
