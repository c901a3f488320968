// Typed errors shared by every layer. Each carries the process exit code the
// CLI uses (cli.md): 1 a check failed, 2 bad usage or input, 3 a missing tool.

export abstract class AccelforgeError extends Error {
  abstract readonly exitCode: 1 | 2 | 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad usage, config, problem file or flag (exit 2). */
export class InputError extends AccelforgeError {
  readonly exitCode = 2 as const;
}

/** A required external tool is not installed (exit 3). */
export class ToolMissingError extends AccelforgeError {
  readonly exitCode = 3 as const;
  constructor(
    readonly tool: string,
    readonly install: string,
    options?: { cause?: unknown },
  ) {
    super(`${tool} is not installed or not on PATH; install it with: ${install}`, options);
  }
}

/** Verilator lint reported warnings or errors (exit 1). */
export class LintError extends AccelforgeError {
  readonly exitCode = 1 as const;
  constructor(
    readonly messages: string,
    options?: { cause?: unknown },
  ) {
    super(`lint failed:\n${messages}`, options);
  }
}

/** Verilating or compiling the simulation model failed (exit 1). */
export class BuildError extends AccelforgeError {
  readonly exitCode = 1 as const;
  constructor(
    readonly log: string,
    options?: { cause?: unknown; tool?: string },
  ) {
    super(`${options?.tool ?? 'Verilator'} build failed:\n${log}`, options);
  }
}

/** A simulation hit its cycle watchdog or wall-clock limit (exit 1). */
export class SimTimeoutError extends AccelforgeError {
  readonly exitCode = 1 as const;
  constructor(
    readonly kind: 'cycles' | 'wall-clock',
    readonly cycle: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The simulator exited abnormally (crash, assertion, bad harness input). */
export class SimError extends AccelforgeError {
  readonly exitCode = 1 as const;
}

/** A SystemVerilog assertion of the design failed during simulation. */
export class AssertionFailedError extends SimError {
  constructor(
    /** The assertion's label, e.g. OneReader. */
    readonly assertion: string,
    /** Its instance, e.g. TOP.rs_engine.u_dram_arb. */
    readonly scope: string,
    readonly simTime: number,
    message: string,
  ) {
    super(message);
  }
}

/** Synthesis found a structural problem (latch, multiple drivers, undriven net). */
export class SynthError extends AccelforgeError {
  readonly exitCode = 1 as const;
}

export interface MismatchDetail {
  /** Human name of the output element, e.g. "c[3][7]". */
  element: string;
  /** A value; or what a non-value check expected and saw (a refusal). */
  expected: bigint | string;
  actual: bigint | string;
  /** Cycle at which the element left the RTL, when known. */
  cycle?: number;
  /** Producing PE, when the design can say. */
  pe?: string;
}

/** A value with its hex bits; a check's words as they are. */
const shown = (v: bigint | string) => (typeof v === 'string' ? v : `${v} (0x${toHex(v)})`);

/** RTL result differs from the golden model (exit 1). */
export class MismatchError extends AccelforgeError {
  readonly exitCode = 1 as const;
  constructor(
    readonly detail: MismatchDetail,
    readonly context: string,
  ) {
    super(
      `${context}: mismatch at ${detail.element}: expected ${shown(detail.expected)}, got ${shown(detail.actual)}` +
        (detail.cycle !== undefined ? ` at cycle ${detail.cycle}` : '') +
        (detail.pe ? ` from PE ${detail.pe}` : ''),
    );
  }
}

function toHex(v: bigint): string {
  return v < 0n ? `-${(-v).toString(16)}` : v.toString(16);
}
