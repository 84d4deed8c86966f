import { VENDOR_LABELS } from '../schema';
import {
  IOS_FAMILY_ENABLE,
  IOS_FAMILY_ERROR,
  iosFamilyPrompts,
  MORE_ARTIFACT,
  MORE_PAGER,
  questionPattern,
  QUESTIONS,
} from './shared';
import { COMMON_SECRETS, IOS_FAMILY_SECRETS } from './secrets';
import type { VendorDriver } from './types';

export const ciscoIos: VendorDriver = {
  vendor: 'cisco_ios',
  label: VENDOR_LABELS.cisco_ios,
  // NAME>, NAME#, NAME(config)#, NAME(config-if)#; configuration modes show only the first 20
  // characters of a longer hostname
  ...iosFamilyPrompts({ userLevel: true, configNameLength: 20 }),
  pager: MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: MORE_ARTIFACT,
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errors: [
    IOS_FAMILY_ERROR,
    // `% Unknown command or computer name, or unable to find computer address` (a word IOS tried to
    // telnet to), `% Bad IP address or host name`, `% Unrecognized host or address`, `%Error opening tftp://… (Timed out)`, and the
    // answers of command authorisation. Not every `% ` line: `% Access VLAN does not exist. Creating
    // vlan 10` is a success.
    /^% ?(?:Unknown command|Unrecognized|Bad IP address|Access denied|Authorization failed|Error\b)/m,
    // Not IOS: what the third-party Huawei and Cisco emulators of issue 11 answer.
    /^No such command/m,
  ],
  question: questionPattern(QUESTIONS.CONFIRM, QUESTIONS.YES_NO, QUESTIONS.ARE_YOU_SURE),
  enable: IOS_FAMILY_ENABLE,
  versionCommand: 'show version',
  example: 'show version',
  fingerprints: [/Cisco IOS(?: XE)? Software/, /IOS \(tm\)/, /^SSH-[\d.]+-Cisco-/],
  secrets: [...COMMON_SECRETS, ...IOS_FAMILY_SECRETS],
};
