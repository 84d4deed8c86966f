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

export const huaweiVrp: VendorDriver = {
  vendor: 'huawei_vrp',
  label: VENDOR_LABELS.huawei_vrp,
  // <NAME>, [NAME], [NAME-GigabitEthernet0/0/1], VRP8 two-stage commit [~NAME] / [*NAME],
  // HRP_M<NAME> / HRP_S[NAME] on USG firewalls in hot standby
  ...bracketPrompts({ standbyPrefix: 'HRP_[MS]' }),
  pager: DASHED_MORE_PAGER,
  pagerKey: ' ',
  pagerArtifact: DASHED_MORE_ARTIFACT,
  sessionSetup: ['screen-length 0 temporary'],
  errors: [
    // VRP prints every rejection at the start of a line as `Error: …` (`Unrecognized command`,
    // `Wrong parameter`, `Incomplete command`, `Too many parameters`, `Ambiguous command` found at
    // '^' position, and semantic ones such as `Error: The interface does not exist.`); `Warning:` and
    // `Info:` are not failures, and configuration or log lines never start with `Error:`.
    /^Error:/m,
    // Not VRP: what the third-party Huawei and Cisco emulators of issue 11 answer.
    /^No such command/m,
  ],
  question: questionPattern(QUESTIONS.YES_NO, QUESTIONS.VRP8_COMMIT, QUESTIONS.ARE_YOU_SURE),
  // No `enable`: VRP gives the user's level (0–3, or 0–15) at login through AAA, and the prompt
  // `<NAME>` looks the same at every level, so nothing would tell when `super` is needed.
  versionCommand: 'display version',
  example: 'display version',
  fingerprints: [/Huawei Versatile Routing Platform/, /VRP \(R\) software/, /^SSH-[\d.]+-HUAWEI-/],
  secrets: [...COMMON_SECRETS, ...HUAWEI_FAMILY_SECRETS],
};
