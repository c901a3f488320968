// The Design plugin: everything the CLI, the benches and the flows need of a
// design, behind one interface. A design lives in designs/<name>/ and is
// registered by one line in designs/list.ts.
import type { QLinearNode } from '../golden/nn/qlower.js';
import type { QValue } from '../golden/nn/qonnx-forward.js';
import type { CoverageBins } from './common/bins.js';
import type { CounterMismatch } from './common/counters.js';
import type { ConfigRule, ParamTable } from '../golden/common/params.js';
import type { GeneratedDesign } from '../generators/common/design.js';
import type { FaultSpec, GenerateOptions, PeGrid } from '../generators/common/fault.js';
import type { FailureArtifacts } from './tools/failure/report.js';
import type { Build, SimRunOptions } from './tools/verilator/runner.js';
import type { QLayer } from '../golden/nn/quant.js';
import type { CsrSpec, TargetSpec } from '../golden/common/csr-spec.js';
import type { LiveDriver, LiveOptions } from './tools/live/sim.js';

/** The first wrong output element of a run, as every design reports it. */
export interface Mismatch {
  /** Human name, e.g. "c[3][7]" or "ofmap[0][1][2][3]". */
  element: string;
  /** A value; or, for a check that is not a value (a refusal), what was expected and what happened. */
  expected: bigint | string;
  actual: bigint | string;
  /** Trace cycle at which the element left the RTL, when known. */
  cycle?: number;
  /** The PE (or PE column) that produced it, as far as the design can say. */
  pe: string;
}

/** A random verification case: what a seed stands for. */
export interface VerifyCase<P> {
  seed: number;
  problem: P;
  /** Shape and options in a line (printed on PASS/FAIL). */
  describe: string;
  /** Host-side throttling, 1/1000 per request (designs with a host port). */
  stallPermille?: number;
}

/** A design-specific `run` flag (e.g. rs's --objective); the CLI refuses it for other designs. */
export interface DesignFlag {
  /** Commander flag, e.g. '--objective <what>'. */
  flag: string;
  /** Property name commander gives it, e.g. 'objective'. */
  key: string;
  doc: string;
  choices?: readonly string[];
  /** Parses the string value (integers); InputError on a bad one. */
  parse?: (v: string) => unknown;
}

/** What a build depends on besides the configuration. */
export interface BuildOptions {
  design?: GeneratedDesign;
  traceFormat?: 'fst' | 'vcd';
  xprop?: boolean;
  sim?: 'verilator' | 'icarus';
}

/** What `run` and `verify` pass to a design's simulation. */
export interface DesignRunOptions extends SimRunOptions {
  /** Host throttling, 1/1000 per request, and its random stream. */
  stallPermille?: number;
  seed?: number;
  /** Design-specific flags by key (DesignFlag.key). */
  flags?: Record<string, unknown>;
  /** Check against the golden model while running, where the design can (rs: the DRAM compares each write). */
  expectInline?: boolean;
}

export interface FailureContext {
  configArg: string;
  design: GeneratedDesign;
  seed?: number;
  stallPermille?: number;
  flags?: Record<string, unknown>;
  reproduce: string;
  dir: string;
  fst?: boolean;
}

/** A problem's cycles and counters from a design's exact models (the counters in the shape `run` reports them). */
export interface ModelFigures {
  cycles: number;
  counters: Record<string, unknown>;
}

/** The cycle counts a run measured, checked against the design's exact model. */
export interface CycleCheck {
  measured: number;
  model: number;
  /** Where the model lives, for the message. */
  modelName: string;
}

/** How a design runs a standard int8 model's layers, each requantized in its RTL. */
export interface Int8Support<C, P, R> {
  /** Why the config cannot run int8 layers (no output stage), naming the key; undefined when it can. */
  refuse(cfg: C): string | undefined;
  /** Why one node cannot run on the config (operand widths, padding), naming node and key; or undefined. */
  refuseNode(cfg: C, n: QLinearNode): string | undefined;
  /** The node on its 8-bit input as the design's problem, and its result as the node's output tensor. */
  lower(cfg: C, n: QLinearNode, x: QValue): { problem: P; outDims: number[]; raise(r: R): Float64Array };
}

/** How a design runs the layers of a quantized network (the `model` verb). */
export interface NetworkSupport<C, P, R> {
  /** The numerics the quantizer targets. */
  target(cfg: C): { dataWidth: number; accWidth: number };
  /** Undefined when the design can run the layer, else why not (with the limit). */
  refuse(cfg: C, l: QLayer): string | undefined;
  /** The design's problem computing layer `l` on a batch of integer inputs (data movement only). */
  lower(cfg: C, l: QLayer, x: Int32Array, batch: number): P;
  /** The raw accumulators the RTL produced, laid out per image as the layer's outDims. */
  raise(cfg: C, l: QLayer, r: R, batch: number): Float64Array;
  /** Counters of a run (access counts by name). */
  counters(r: R): Record<string, number>;
  /**
   * A layer's cycles and counters at a batch from the design's exact cycle
   * and access models, without simulating (the compare verb's full-layer
   * figures; its RTL sample holds the models to the counters).
   */
  layerModel?(cfg: C, l: QLayer, batch: number): { cycles: number; counters: Record<string, number> };
  /** Normalized energy per level (core/energy.ts) of summed counters. */
  energy?(cfg: C, counters: Record<string, number>): Record<string, number>;
  /**
   * SCALE-Sim's analytical cycle estimate of the layer at a batch, for
   * designs whose dataflow SCALE-Sim models (ws, os): the compare verb sets
   * it beside the RTL-checked cycles.
   */
  scaleSimCycles?(cfg: C, l: QLayer, batch: number): number;
  /** How the layer maps (for the printout), e.g. "GEMM 200x784x300" or "conv, mapping w=4 V=1 ...". */
  describe(cfg: C, l: QLayer, batch: number, r: R): string;
}

/** One input vector's run through an on-chip chain of layers (ChainSupport). */
export interface ChainRun {
  /** The last layer's outputs. */
  b: bigint[];
  cycles: number;
  layerCycles: number[];
  /** Entries (MACs) each PE handled. */
  pes: { entries: number }[];
}

/**
 * Designs that chain a network's fully connected layers on chip (eie): a
 * batch of input vectors through a whole chain in one simulation, each run's
 * outputs and cycles measured in the RTL.
 */
export interface ChainSupport<C, P> {
  /** InputError when the chain does not fit the configuration's memories (before any simulation). */
  check(cfg: C, p: P): void;
  runBatch(cfg: C, p: P, inputs: bigint[][], o: DesignRunOptions): Promise<{ runs: ChainRun[]; simSeconds: number }>;
}

export interface Design<
  C extends object = object,
  P = unknown,
  R extends { cycles: number } = { cycles: number },
  M extends Mismatch = Mismatch,
  L extends LiveDriver = LiveDriver,
> {
  /** CLI name: ws, rs, eie, ... */
  readonly name: string;
  /** Position in listings and help. */
  readonly order: number;
  /** One line: what the design is. */
  readonly title: string;
  /** What a random verification case is, for the verify banner. */
  readonly caseNoun: string;

  // Configuration
  readonly params: ParamTable;
  readonly rules: ConfigRule<C>[];
  readonly presets: Record<string, C>;
  parseConfig(raw: unknown, source: string): C;

  // RTL
  generate(cfg: C, o?: GenerateOptions): GeneratedDesign;
  /** Committed TypeScript bindings of generated tops (regenerated by `npm run typecheck`). */
  readonly bindings: { file: string; make: () => GeneratedDesign }[];
  /** The PE grid a fault can be injected into. */
  grid(cfg: C): PeGrid;
  /** The host-port register interface (targets and CSRs), for designs driven through one. */
  readonly registers?: {
    targets: readonly TargetSpec[];
    csrs: readonly CsrSpec[];
    /** Further CSR groups (eie's per-layer registers), each under its heading. */
    groups?: { heading: string; csrs: readonly CsrSpec[] }[];
  };
  /** The design's sections of the datasheet generate writes (protocol, maps, layouts, encodings, cycle formula). */
  datasheet(cfg: C): string;

  // Problems and runs
  /** Validates cli.md's input JSON of this design. */
  parseProblem(raw: unknown, cfg: C, source: string): P;
  /** The random problem of a seed (`flags`: the design's own flags of the verify, e.g. --dataflow). */
  randomCase(cfg: C, seed: number, flags?: Record<string, unknown>): VerifyCase<P>;
  /** The golden model: the result fields of `run`'s JSON the RTL must equal (ws/os `c` or `ofmap`, rs `ofmap`, eie `b`). */
  golden(cfg: C, p: P): Record<string, unknown>;
  /**
   * The exact cycle and access models of a problem, without simulating:
   * what a run's `cycles` and `counters` must equal (`flags`: the design's
   * run flags, e.g. rs's objective, which pick the mapping).
   */
  model(cfg: C, p: P, flags?: Record<string, unknown>): ModelFigures;
  /** Builds (or takes from the cache) the simulator of a configuration. */
  build(cfg: C, o?: BuildOptions): Promise<Build>;
  /** The host-port transaction program of a problem (designs with a host port; the benches' simulation floor). */
  hostProgram?(cfg: C, p: P): string;
  /**
   * A live simulation of a configuration (reset, idle) with the design's
   * driver (tools/live): directed tests in TypeScript, cycle by cycle.
   */
  open(cfg: C, o?: LiveOptions & { design?: GeneratedDesign }): Promise<L>;
  /** Runs a problem on the simulator (the RTL computes everything). */
  simulate(cfg: C, p: P, o: DesignRunOptions): Promise<R>;
  /** The first output that differs from the golden model, or undefined. */
  firstMismatch(cfg: C, p: P, r: R): M | undefined;
  /** The measured cycles against the design's exact cycle model, where it has one. */
  cycleCheck?(cfg: C, p: P, r: R): CycleCheck | undefined;
  /** The first RTL counter that differs from the design's exact access model, where it has one. */
  counterCheck?(cfg: C, p: P, r: R): CounterMismatch | undefined;
  /** The JSON `run` writes (cli.md): the result, cycles, counters. */
  summary(cfg: C, p: P, r: R, design: GeneratedDesign): { cycles: number } & Record<string, unknown>;
  /** Writes the failure report and traces of a mismatch. */
  failure(cfg: C, p: P, r: R, bad: M, ctx: FailureContext): Promise<FailureArtifacts>;
  /** `map`: a layer's descriptor as files (memory image and JSON), for designs that run from one. */
  readonly map?: (
    cfg: C,
    raw: unknown,
    source: string,
    flags: Record<string, unknown>,
  ) => { files: Map<string, string>; summary: string };
  /** `run` flags only this design takes. */
  readonly runFlags?: DesignFlag[];
  /** Whether the host side can be throttled (--stall). */
  readonly stalls: boolean;
  /** The simulators it runs on (--sim); the first is the default. */
  readonly simulators: readonly ('verilator' | 'icarus')[];
  /** Running quantized networks layer by layer (`model`), where the design can. */
  readonly network?: NetworkSupport<C, P, R>;
  /** Standard int8 layers (QLinearConv, QLinearMatMul) requantized in the design's output stage (`model FILE.onnx`). */
  readonly int8?: Int8Support<C, P, R>;
  /**
   * Other ways the design runs a network's layers, by name (ws: 'im2col',
   * its convolutions as host im2col GEMMs): the compare verb shows each as
   * a labelled row beside the design's own.
   */
  readonly networkVariants?: Record<string, NetworkSupport<C, P, R>>;
  /** Running a network's FC chain on chip (`model --design eie`), where the design can. */
  readonly chain?: ChainSupport<C, P>;
  /** Processing elements (for utilization). */
  pes(cfg: C): number;
  /** A small valid input JSON (cli.md) and the preset it runs on: the base of the bad-input tests. */
  readonly example: { preset: string; problem: unknown };
  /** Upper bounds on parameters for a short co-simulation (random configurations in tests and sweeps). */
  readonly simCaps?: Record<string, number>;
  /** Functional coverage bins (verify --coverage, --until-covered). */
  readonly bins?: CoverageBins<C, P, R>;
}

/** A design of any config type (the registry's element). */
export type AnyDesign = Design<object, unknown, { cycles: number }, Mismatch>;

export type { FaultSpec };

/** The first way a run that computed the right result is off its exact models: cycles, then counters. */
export function modelFailure(d: AnyDesign, cfg: object, p: unknown, r: { cycles: number }) {
  const cyc = d.cycleCheck?.(cfg, p, r);
  if (cyc && cyc.model !== cyc.measured)
    return {
      kind: 'cycles' as const,
      message: `cycles expected ${cyc.model} (${cyc.modelName}), RTL counted ${cyc.measured}`,
    };
  const cnt = d.counterCheck?.(cfg, p, r);
  if (cnt)
    return {
      kind: 'counters' as const,
      message: `counter ${cnt.counter} expected ${cnt.model} (${cnt.modelName}), RTL counted ${cnt.measured}`,
    };
  return undefined;
}
