export { LAB_AUTH_MODES, LAB_DEVICE_KINDS, LAB_SSH_ALGORITHMS, LAB_TRANSPORTS, LAB_VENDORS } from './types';
export type {
  DropMoment,
  LabAuthMode,
  LabDeviceKind,
  LabDeviceSpec,
  LabEncoding,
  LabFaults,
  LabSshAlgorithms,
  LabTransport,
  LabVendor,
  RunningLabDevice,
} from './types';
export {
  LAB_DEFAULTS,
  LEGACY_SSH_ALGORITHMS,
  defaultLabFleet,
  generateHostKey,
  generateRsaHostKey,
  legacyHostKey,
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
export { H3cCli, H3C_PAGER_ERASE, H3C_PAGER_PROMPT, createH3cCli } from './cli-h3c';
export {
  JunosCli,
  JUNOS_PAGER_ERASE,
  JUNOS_PAGER_PROMPT,
  createJunosCli,
  type JunosCliOptions,
} from './cli-junos';
export { VrpCli, VRP_PAGER_ERASE, VRP_PAGER_PROMPT, createVrpCli, type VrpCliOptions } from './cli-vrp';
export { parseVlanList } from './cli-huawei';
export {
  createDeviceModel,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
  type PagerStyle,
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
  type SessionFaults,
  type ShellGreeting,
  type ShellOptions,
  type ShellStream,
} from './shell';
export {
  TELNET_CMD,
  TELNET_OPT,
  TelnetNegotiator,
  TelnetParser,
  escapeIac,
  nawsPayload,
  parseNaws,
  telnetCommand,
  telnetSub,
  type TelnetEvent,
  type WindowSize,
} from './telnet';
export { TelnetLogin, credentialCheck, telnetLoginText, type TelnetLoginText } from './login';
export { TELNET_LOGIN_TIMEOUT_MS, TelnetChannel, serveTelnet } from './telnet-server';
