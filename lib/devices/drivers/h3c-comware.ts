import { VENDOR_LABELS } from '../schema';
import {
  bracketPrompts,
  DASHED_MORE_ARTIFACT,
  DASHED_MORE_PAGER,
  questionPattern,
  QUESTIONS,
} from './shared';
import { COMMON_SECRETS, HUAWEI_FAMILY_SECRETS } from './secrets';
import type { VendorDriver } from './types';

export const h3cComware: VendorDriver = {
  vendor: 'h3c_comware',
  label: VENDOR_LABELS.h3c_comware,
  // <H3C>, [H3C], [H3C-GigabitEthernet1/0/1], [H3C-Vlan-interface10]; RBM_P / RBM_S in front on
  // SecPath firewalls in an RBM pair
  ...bracketPrompts({ standbyPrefix: 'RBM_[PS]' }),
  pager: DASHED_MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: DASHED_MORE_ARTIFACT,
  sessionSetup: ['screen-length disable'],
  errors: [
    // on its own line under the caret line; Comware 7 indents it by one space (` % Unrecognized…`)
    /^ ?% ?(?:Unrecognized command|Incomplete command|Wrong parameter|Ambiguous command|Too many parameters) found at/m,
  ],
  // `save`: `Are you sure? [Y/N]:`, then the file name question, then `overwrite? [Y/N]:`
  question: questionPattern(QUESTIONS.YES_NO, QUESTIONS.COMWARE_FILENAME, QUESTIONS.ARE_YOU_SURE),
  // No `enable`: like VRP, the user role or level comes from AAA at login and `<H3C>` looks the same
  // at every level; `super` would need a super password nobody stores.
  versionCommand: 'display version',
  example: 'display version',
  fingerprints: [/H3C Comware/, /Comware Software/, /New H3C Technologies/, /^SSH-[\d.]+-Comware-/],
  secrets: [...COMMON_SECRETS, ...HUAWEI_FAMILY_SECRETS],
};
