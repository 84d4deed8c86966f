import { VENDOR_LABELS } from '../schema';
import { stripAnsi } from './clean';
import { escapeRegExp, LINE_START, PAGER_ERASE, questionPattern, QUESTIONS } from './shared';
import { ALL_SECRETS } from './secrets';
import type { VendorDriver } from './types';

const PROMPT_END = String.raw`[$#>%]`;
const ENDS_LIKE_PROMPT = new RegExp(`${PROMPT_END}$`);
/** `user@host:~$` and `[user@host ~]$`: the path changes with `cd`, the rest stays. */
const COLON_PATH = /^([^\s@]{1,64}@[^\s:]{1,64}):[^\r\n]{0,200}([$#%])$/;
const BRACKET_PATH = /^\[([^\s@[\]]{1,64}@[^\s[\]]{1,64}) [^\]\r\n]{0,200}\]([$#%])$/;
const ANY_PATH = String.raw`[^\r\n]{0,200}`;
/** What a shell may print after its prompt on an xterm: an erase to the end of the line (`\x1b[K`). */
const TRAILER = String.raw`(?:\x1b\[[0-9;?]{0,16}[a-zA-Z]){0,4}`;
/**
 * What bash prints before its prompt in xterm-like terminals: the window title
 * (`\x1b]0;user@host: ~\x07`) and mode switches such as bracketed paste (`\x1b[?2004h`).
 */
const TITLE = String.raw`(?:\x1b\][^\x07\x1b\r\n]{0,200}(?:\x07|\x1b\\))?(?:\x1b\[[0-9;?]{0,16}[a-zA-Z]){0,4}`;

/**
 * Linux shells and any other CLI: nothing is known in advance, so the prompt is learned (the last
 * line after login) and matched exactly from then on.
 */
export const generic: VendorDriver = {
  vendor: 'generic',
  label: VENDOR_LABELS.generic,
  // user@host:~$ , root@box:/# , [root@centos ~]# , bash-5.2$ , host> , %
  prompt: new RegExp(String.raw`${LINE_START}[^\r\n]{0,200}${PROMPT_END} ?${TRAILER}$`),
  promptName(line) {
    const name = stripAnsi(line).trim();
    return name.length <= 200 && ENDS_LIKE_PROMPT.test(name) ? name : null;
  },
  promptFor(name) {
    const colon = COLON_PATH.exec(name);
    const bracket = BRACKET_PATH.exec(name);
    const body = colon
      ? `${escapeRegExp(colon[1]!)}:${ANY_PATH}${escapeRegExp(colon[2]!)}`
      : bracket
        ? String.raw`\[${escapeRegExp(bracket[1]!)} [^\]\r\n]{0,200}\]${escapeRegExp(bracket[2]!)}`
        : escapeRegExp(name);
    return new RegExp(String.raw`${LINE_START}${TITLE}${body} ?${TRAILER}$`);
  },
  // No privilege escalation is automated (`sudo` asks for a password the portal does not hold).
  modeOf: () => 'exec',
  // more(1): `--More--(45%)`
  pager: /--More--(?:\(\d{1,3}%\))?[ \t]{0,8}$/,
  pagerKey: ' ',
  pagerArtifact: new RegExp(String.raw` ?--More--(?:\(\d{1,3}%\))? ?${PAGER_ERASE}`, 'g'),
  sessionSetup: [],
  errors: [
    // Only what a shell says about the command itself (`-bash: foo: command not found`, dash's `sh:
    // 1: foo: not found`, `zsh: command not found: foo`, `bash: syntax error near unexpected token`);
    // a program's own output may mention errors and still be a success.
    /^-?[a-z]{0,6}sh: (?:line \d{1,9}: |\d{1,9}: )?(?:[^\r\n]{0,200}: )?(?:command not found|not found|[Ss]yntax error|Permission denied|No such file or directory)/m,
    // Network CLIs without a driver of their own mostly speak IOS.
    /^% ?(?:Invalid input|Unknown command|Incomplete command|Ambiguous command|Unrecognized command)/m,
  ],
  question: questionPattern(
    QUESTIONS.YES_NO,
    QUESTIONS.CONFIRM,
    QUESTIONS.JUNOS_YES_NO,
    QUESTIONS.ARE_YOU_SURE,
  ),
  versionCommand: 'uname -a',
  example: 'uname -a',
  fingerprints: [/\bLinux\b/],
  secrets: ALL_SECRETS,
};
