// accelforge's public API: what `import ... from 'accelforge'` gives (the
// package's "exports"), and what every verb of the CLI is built on (the
// layers test keeps the CLI from reaching past it). The surface is listed in
// docs/api.md, written by scripts/api-report.ts; a test fails when this module
// exports something that list does not announce.

// ---- errors: each carries the CLI's exit code (1 check failed, 2 bad input, 3 missing tool)
export {
  AccelforgeError,
  AssertionFailedError,
  BuildError,
  InputError,
  LintError,
  MismatchError,
  SimError,
  SimTimeoutError,
  SynthError,
  ToolMissingError,
} from '../../golden/common/errors.js';

// ---- designs: typed handles (config schema, presets, generate, golden and exact models, simulate, open)
export { ws, os, rs, eie } from '../../testbenches/designs.js';
export { designs, designNames, designByName, presetNames } from '../../testbenches/registry.js';
export type { AnyDesign, Design, Mismatch, ModelFigures, VerifyCase as RandomCase } from '../../testbenches/plugin.js';
export type { ParamTable, ConfigRule } from '../../golden/common/params.js';
export type { GeneratedDesign, PortSpec, ModuleText, MemorySpec } from '../../generators/common/design.js';
export type { Dataflow, GemmConfig, WsConfig, OsConfig } from '../../golden/gemm/config.js';
export type { RsConfig } from '../../golden/rs/config.js';
export type { EieConfig } from '../../golden/eie/config.js';
export type { GemmProblem } from '../../golden/common/gemm.js';
export type { ConvProblem } from '../../golden/rs/golden.js';
export type { EieProblem } from '../../golden/eie/problem.js';

// ---- the verbs on a design
export {
  config,
  generate,
  writeDesign,
  lint,
  synth,
  run,
  verify,
  open,
  type DesignRef,
  type RunOptions,
  type VerifyCallOptions,
} from './designs.js';
export type { SynthReport } from '../../testbenches/tools/yosys/synth.js';
export { areaText, type AreaReport } from '../../testbenches/tools/yosys/area.js';
export type { VerifyReport, VerifyCase } from '../../testbenches/verbs.js';
export { parseFault, faultName, type FaultSpec } from '../../generators/common/fault.js';
export { readFailureReport } from '../../testbenches/tools/failure/report.js';
export { mutateDesign as mutate, resultLine as mutantLine, unmutated } from '../../testbenches/mutation/run.js';
export type { MutateOptions, MutationReport, MutantResult } from '../../testbenches/mutation/run.js';
export { mutationKinds, type MutationKind } from '../../testbenches/mutation/operators.js';

// ---- live simulation: directed tests in TypeScript, cycle by cycle
export {
  openLive,
  buildLive,
  LiveSim,
  type LiveDriver,
  type LiveOptions,
  type LiveSignal,
  type Value,
} from '../../testbenches/tools/live/sim.js';
export { HostPort, type HostPortName } from '../../testbenches/tools/live/host-port.js';
export { LiveSimDied } from '../../testbenches/tools/live/channel.js';
export { LiveExpectationError } from '../../testbenches/tools/live/failure.js';
export { GemmLive, openGemmLive, type LiveGemmResult } from '../../testbenches/gemm/live.js';
export { EieLive, openEieLive } from '../../testbenches/eie/live.js';
export { RsLive, DramModel, openRsLive } from '../../testbenches/rs/live.js';

// ---- networks
export {
  train,
  model,
  modelDesigns,
  compress,
  quantize,
  type QuantizeCallOptions,
  builtinModels,
  floatTestAccuracy,
  loadModel,
  readOnnx,
  isCompressedDir,
  type ModelCallOptions,
  type ModelReport,
  type EieModelReport,
  type CompressStats,
  type CompressResult,
} from './networks.js';
export { modelText } from '../flows/model.js';
export { int8ModelText, int8ModelSchema, type Int8ModelReport, type Int8LayerReport } from '../flows/model-int8.js';
export { compressText, eieModelText } from '../flows/text.js';

// ---- studies: compare dataflows, sweep configurations, workloads, the report
export {
  runCompare as compare,
  layerSets,
  equalArea,
  type CompareOptions,
  type CompareReport,
} from '../flows/compare.js';
export { compareText } from '../flows/compare-text.js';
export {
  runSweep as sweep,
  runSweepWithCoverage as sweepWithCoverage,
  readGrid,
  parseShard,
  shardIndices,
  sweepJunit,
  type SweepGrid,
  type SweepReport,
} from '../flows/sweep.js';
export { readWorkload, type Workload, type WorkloadLayer } from '../flows/workloads.js';
export { renderReport as report, loadResult, resultFiles } from '../flows/report.js';
export { demo } from '../flows/demo.js';

// ---- golden models as functions (pure; no simulator)
export { gemm, randomGemmProblem } from '../../golden/common/gemm.js';
export { conv } from '../../golden/rs/golden.js';
export { eieChain } from '../../golden/eie/golden.js';
export { Random } from '../../golden/common/random.js';
