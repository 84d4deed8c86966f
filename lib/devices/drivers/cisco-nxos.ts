import { VENDOR_LABELS } from '../schema';
import { iosFamilyPrompts, MORE_ARTIFACT, MORE_PAGER, questionPattern, QUESTIONS } from './shared';
import { COMMON_SECRETS, IOS_FAMILY_SECRETS } from './secrets';
import type { VendorDriver } from './types';

export const ciscoNxos: VendorDriver = {
  vendor: 'cisco_nxos',
  label: VENDOR_LABELS.cisco_nxos,
  // NAME#, NAME(config)#, NAME(config-if)#: NX-OS logs every role in at `#` (the role decides what
  // may run), so there is no `NAME>` level and no `enable` to enter
  ...iosFamilyPrompts({ userLevel: false }),
  pager: MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: MORE_ARTIFACT,
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errors: [
    // `% Invalid command at '^' marker.`, `% Incomplete command at '^' marker.`, `% Invalid parameter
    // detected at '^' marker.`, `% Permission denied for the role`
    /^% ?(?:Invalid|Incomplete command|Ambiguous command|Permission denied)/m,
    /^Syntax error while parsing/m,
    /^ERROR: /m,
  ],
  // `reload`: `This command will reboot the system. (y/n)?  [n]`; `copy`: `Do you want to overwrite (y/n)?[n]`
  question: questionPattern(QUESTIONS.YES_NO, QUESTIONS.CONFIRM, QUESTIONS.ARE_YOU_SURE),
  versionCommand: 'show version',
  example: 'show version',
  fingerprints: [/Cisco Nexus Operating System \(NX-OS\) Software/, /\bNX-OS\b/],
  secrets: [...COMMON_SECRETS, ...IOS_FAMILY_SECRETS],
};
