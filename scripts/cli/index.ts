// accelforge command line (contract: ../shared/spec/cli.md): one module per
// group of verbs, the options they share in options.ts.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { repoPath } from '../../golden/common/repo.js';
import { AccelforgeError } from '../../golden/common/errors.js';
import { designNames } from '../api/index.js';
import { compressCommand, modelCommand, quantizeCommand, trainCommand } from './networks.js';
import { compareCommand, demoCommand, reportCommand, sweepCommand } from './flows.js';
import { generateCommand, lintCommand, presetsCommand, synthCommand } from './rtl.js';
import { mutateCommand } from './mutate.js';
import { mapCommand, runCommand, verifyCommand, wavesCommand } from './sim.js';

const verbs = [
  generateCommand,
  lintCommand,
  synthCommand,
  runCommand,
  mapCommand,
  verifyCommand,
  mutateCommand,
  trainCommand,
  modelCommand,
  compareCommand,
  sweepCommand,
  compressCommand,
  quantizeCommand,
  wavesCommand,
  reportCommand,
  presetsCommand,
  demoCommand,
];

/** package.json's version (one source for `--version` and the npm package). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('accelforge')
    .description(`Generate, lint, synthesize and co-simulate DNN accelerator RTL (${designNames().join(', ')})`)
    .version(packageVersion(), '-V, --version', 'print the accelforge version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // addCommand (unlike .command) does not copy the parent's settings: exitOverride and the help hint.
  for (const verb of verbs) program.addCommand(verb().copyInheritedSettings(program));
  return program;
}

/** A quoted name or value longer than 200 characters (longer than any path), shortened: a 100,000-character key was echoed whole. */
export const clipQuoted = (m: string) =>
  m.replace(/'([^'\n]{201,})'/g, (_, x: string) => `'${x.slice(0, 120)}...' (${x.length} characters)`);

/** Runs the CLI; returns the process exit code (never throws). */
export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`accelforge presets | head -1`) ends the output, not the
  // process with a trace; any other write error (a full device) is a failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`accelforge: the output could not be written (${e.code ?? e.message}); it is incomplete\n`);
    process.exit(1);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      // Help asked for (--help, `help`) is 0 above; help shown because no command was given is bad usage.
      return 2; // commander already printed the message
    }
    if (e instanceof AccelforgeError) {
      process.stderr.write(`accelforge: ${clipQuoted(e.message)}\n`);
      return e.exitCode;
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      process.stderr.write(
        'accelforge: the input is nested too deeply to check (JSON nesting beyond what a problem or config can have)\n',
      );
      return 2;
    }
    process.stderr.write(`accelforge: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
