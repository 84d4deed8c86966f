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
import { COMMON_SECRETS, EOS_SECRETS, IOS_FAMILY_SECRETS } from './secrets';
import type { VendorDriver } from './types';

export const aristaEos: VendorDriver = {
  vendor: 'arista_eos',
  label: VENDOR_LABELS.arista_eos,
  // NAME>, NAME#, NAME(config)#, NAME(config-if-Et1)#, config sessions NAME(config-s-sess1)#, and
  // the supervisor in front on modular switches: NAME(s1)#, NAME(s1)(config)#
  ...iosFamilyPrompts({ userLevel: true }),
  pager: MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: MORE_ARTIFACT,
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errors: [
    // `% Invalid input`, `% Invalid input (privileged mode required)`, `% Incomplete command`,
    // `% Ambiguous command`
    IOS_FAMILY_ERROR,
    /^% ?(?:Unavailable command|This is an unconverted command|Authorization denied)/m,
  ],
  question: questionPattern(QUESTIONS.CONFIRM, QUESTIONS.YES_NO, QUESTIONS.ARE_YOU_SURE),
  enable: IOS_FAMILY_ENABLE,
  versionCommand: 'show version',
  example: 'show version',
  fingerprints: [/\bArista\b/],
  secrets: [...COMMON_SECRETS, ...EOS_SECRETS, ...IOS_FAMILY_SECRETS],
};
