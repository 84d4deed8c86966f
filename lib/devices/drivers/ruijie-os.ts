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
import { COMMON_SECRETS, IOS_FAMILY_SECRETS, RUIJIE_SECRETS } from './secrets';
import type { VendorDriver } from './types';

export const ruijieOs: VendorDriver = {
  vendor: 'ruijie_os',
  label: VENDOR_LABELS.ruijie_os,
  // Ruijie>, Ruijie#, Ruijie(config)#, Ruijie(config-if-GigabitEthernet 0/1)#
  ...iosFamilyPrompts({ userLevel: true }),
  pager: MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: MORE_ARTIFACT,
  // `terminal width` is refused below privileged mode, so it takes effect in the run after enable
  sessionSetup: ['terminal length 0', 'terminal width 256'],
  errors: [IOS_FAMILY_ERROR, /^% ?(?:Unknown command|Unrecognized command)/m],
  question: questionPattern(QUESTIONS.CONFIRM, QUESTIONS.YES_NO, QUESTIONS.ARE_YOU_SURE),
  enable: IOS_FAMILY_ENABLE,
  versionCommand: 'show version',
  example: 'show version',
  fingerprints: [/Ruijie/, /RGOS/],
  secrets: [...COMMON_SECRETS, ...RUIJIE_SECRETS, ...IOS_FAMILY_SECRETS],
};
