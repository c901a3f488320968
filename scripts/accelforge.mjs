#!/usr/bin/env node
// `accelforge` entry: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli/index.ts');
process.exitCode = await main(process.argv);
