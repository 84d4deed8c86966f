export type { LabDeviceSpec, LabEncoding, LabFaults, LabVendor, RunningLabDevice } from './types';
export {
  LAB_DEFAULTS,
  defaultLabFleet,
  generateHostKey,
  identFor,
  loadOrCreateHostKey,
  startLab,
  startLabDevice,
  type LabCredentials,
  type LabDeviceHandle,
  type LabServerOptions,
  type RunningLab,
} from './server';
export { IosCli, IOS_PAGER_ERASE, IOS_PAGER_PROMPT, createIosCli, type IosCliOptions } from './cli-ios';
export {
  VrpCli,
  VRP_PAGER_ERASE,
  VRP_PAGER_PROMPT,
  createVrpCli,
  parseVlanList,
  type VrpCliOptions,
} from './cli-vrp';
export {
  createDeviceModel,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';
export {
  applyFilter,
  matchCommand,
  tokenize,
  type CommandSpec,
  type MatchFailure,
  type MatchResult,
  type MatchSuccess,
  type Word,
} from './match';
export {
  KeyDecoder,
  LabShellSession,
  codecFor,
  runExecCommand,
  runFlood,
  runHungSession,
  type ShellOptions,
  type ShellStream,
} from './shell';
