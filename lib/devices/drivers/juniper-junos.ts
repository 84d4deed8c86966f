import { VENDOR_LABELS } from '../schema';
import { learnedPrompts, LINE_START, PAGER_ERASE, questionPattern, QUESTIONS } from './shared';
import { COMMON_SECRETS, JUNOS_SECRETS } from './secrets';
import type { VendorDriver } from './types';

/** `user@host`, or the bare user (`root`) before a host name is configured. */
const USER_HOST = String.raw`[\w.\-]{1,64}(?:@[\w.\-]{1,64})?`;
/**
 * Junos prints its prompt after a blank line, under a context line in configuration mode
 * (`[edit interfaces]`) and on virtual chassis and clusters (`{master:0}`, `{primary:node0}[edit]`):
 * all of it is the prompt, so cleanOutput takes none of it for output.
 */
const CONTEXT = String.raw`(?:\r?\n)?(?:(?:\{[\w:.\-]{1,32}\})?\[edit(?: [^\]\r\n]{1,200})?\]\r?\n|\{[\w:.\-]{1,32}\}\r?\n)?`;
const NAME_LINE = new RegExp(String.raw`^(${USER_HOST})[>#]$`);
const learned = learnedPrompts(1, ([name]) => String.raw`${CONTEXT}${name}[>#] ?$`);

export const juniperJunos: VendorDriver = {
  vendor: 'juniper_junos',
  label: VENDOR_LABELS.juniper_junos,
  // admin@mx1> (operational), admin@mx1# (configuration); the shell of root (`root@mx1:RE:0% `)
  // is not the CLI and is left unrecognised
  prompt: new RegExp(String.raw`${LINE_START}${CONTEXT}${USER_HOST}[>#] ?$`),
  promptName: (line) => NAME_LINE.exec(line.trim())?.[1] ?? null,
  promptFor: (name) => learned([name]),
  modeOf: (line) => (line.trim().endsWith('#') ? 'config' : 'exec'),
  pager: /---\(more(?: \d{1,3}%)?\)---[ \t]{0,8}$/,
  pagerKey: ' ',
  pagerArtifact: new RegExp(String.raw`---\(more(?: \d{1,3}%)?\)---${PAGER_ERASE}`, 'g'),
  sessionSetup: ['set cli screen-length 0', 'set cli screen-width 511'],
  errors: [
    // under the caret line: `syntax error, expecting <command>.`, `syntax error.`, `unknown
    // command.`, `missing argument.`; `error: …` from commit, load and operational commands
    /^(?:syntax error|unknown command\.|missing argument\.|error: )/m,
    /^'[^'\r\n]{1,80}' is ambiguous\./m,
  ],
  question: questionPattern(QUESTIONS.JUNOS_YES_NO),
  versionCommand: 'show version',
  example: 'show version',
  fingerprints: [/\bJUNOS\b/, /^Junos: /m],
  secrets: [...COMMON_SECRETS, ...JUNOS_SECRETS],
};
