import type { CliMode, VendorDriver } from '../devices/drivers';
import type { CursorLine } from '../terminal/screen';

/**
 * The command line on a terminal's screen when Enter is pressed, as the device will read it: after tab
 * completion, history recall and editing, the screen shows what the device's line editor holds. Pure.
 */

/** A prompt is looked for in this many characters at the start of the line. */
const PROMPT_MAX_CHARS = 200;
/** What follows this many appearances of a shell's prompt on one line is judged (see commandOnScreen). */
const PROMPT_APPEARANCES_MAX = 16;
const PASSWORD_PROMPT = /(?:password|passphrase|secret|token)[^\n]{0,40}:\s*$/i;

/** The text ends in a password, passphrase, secret or token prompt. */
export function asksSecret(text: string): boolean {
  return PASSWORD_PROMPT.test(text);
}

export type ScreenCommand =
  /**
   * A command line: `candidates` are what it may run (the text after the prompt; when the prompt is
   * not one the vendor's driver recognises, the whole line too), `mode` the mode the prompt shows.
   */
  | { kind: 'command'; candidates: string[]; mode: CliMode | null; prompt: string }
  /** Not a command: a full-screen program has the screen, or the line answers a question, a password or login prompt. */
  | { kind: 'none' }
  /**
   * The cursor is not on a line at one of the device's prompts (output is still arriving): the Enter
   * waits until it is. Only for network CLIs, whose every command line starts with a prompt.
   */
  | { kind: 'waiting' }
  /**
   * The line cannot be read whole: IOS scrolled a line wider than the terminal sideways, its start out
   * of view. It is not sent (`GuardText.wideLine` says so).
   */
  | { kind: 'unreadable' };

/** The first prefix of the line that the driver takes for a whole prompt of its platform. */
function vendorPrompt(driver: VendorDriver, text: string): string | null {
  const limit = Math.min(text.length, PROMPT_MAX_CHARS);
  for (let i = 1; i <= limit; i++) {
    if (!'>#]$%'.includes(text[i - 1]!)) continue;
    if (driver.promptName(text.slice(0, i)) !== null) return text.slice(0, i);
  }
  return null;
}

const LOGIN_PROMPT = /(?:username|user name|login|user)\s{0,4}:\s{0,4}$/i;

function asks(driver: VendorDriver, text: string): boolean {
  return driver.question.test(text) || PASSWORD_PROMPT.test(text) || LOGIN_PROMPT.test(text);
}

/** A prefix of the line is a question, a password or a login prompt (what follows is its answer). */
function answersQuestion(driver: VendorDriver, text: string): boolean {
  const limit = Math.min(text.length, PROMPT_MAX_CHARS * 2);
  for (let i = 1; i <= limit; i++) {
    if (!':?])'.includes(text[i - 1]!)) continue;
    const rest = text.slice(i);
    if (rest.length <= ANSWER_MAX_CHARS && asks(driver, text.slice(0, i))) return true;
  }
  return false;
}

/** What an answer to a question may hold (a file name, `yes`). */
const ANSWER_MAX_CHARS = 128;

/**
 * `promptHint`: the last line the device printed before the user started typing this line (the
 * session keeps it); on a shell it finds a prompt no driver knows (`PS1='x '`).
 */
export function commandOnScreen(
  driver: VendorDriver,
  line: CursorLine,
  promptHint: string | null,
  /** The line was begun while the device was busy (`promptHint` is the last prompt seen, a guess). */
  typedAhead = false,
): ScreenCommand {
  if (line.alt) return { kind: 'none' };
  const text = line.text;
  if (driver.vendor === 'generic') {
    // a shell's prompt can be anything: the line printed before typing began, where the screen line
    // shows it; judged with the whole line too unless it looks like a prompt. What is left of the
    // prompt's first appearance is not the shell's: keys typed ahead while a command ran, which the
    // terminal echoed before the prompt on the same row (the shell shows them again after it). Such
    // keys may hold the prompt's text too, and the prompt may have changed since it was seen: what
    // follows each appearance is judged, and, for a line typed ahead or a prompt that appears more
    // than once, the whole row too
    const hint = promptHint?.replace(/\s+$/, '') ?? '';
    const at = hint ? text.indexOf(hint) : -1;
    if (at >= 0) {
      if (asks(driver, promptHint!)) return { kind: 'none' };
      const line = text.slice(at);
      const after: string[] = [];
      for (let i = 0; i >= 0 && after.length < PROMPT_APPEARANCES_MAX; i = line.indexOf(hint, i + 1))
        after.push(line.slice(i + hint.length).trim());
      const whole = typedAhead || after.length > 1 || driver.promptName(hint) === null ? [text.trim()] : [];
      return {
        kind: 'command',
        candidates: [...after, ...whole],
        mode: driver.promptName(hint) !== null ? driver.modeOf(hint) : null,
        prompt: hint,
      };
    }
    if (answersQuestion(driver, text)) return { kind: 'none' };
    // what looks like a prompt (`user@host:~$`), judged with the whole line: anything may be a prompt
    const seeming = vendorPrompt(driver, text);
    return seeming
      ? {
          kind: 'command',
          candidates: [text.slice(seeming.length).trim(), text.trim()],
          mode: null,
          prompt: seeming,
        }
      : { kind: 'command', candidates: [text.trim()], mode: null, prompt: '' };
  }
  const prompt = vendorPrompt(driver, text);
  if (prompt !== null) {
    const command = text.slice(prompt.length).trim();
    // IOS shows a line wider than the terminal scrolled sideways, its start hidden behind `$`
    if (command.startsWith('$') && IOS_STYLE_PROMPT.test(prompt)) return { kind: 'unreadable' };
    return { kind: 'command', candidates: [command], mode: driver.modeOf(prompt), prompt };
  }
  if (answersQuestion(driver, text)) return { kind: 'none' };
  return { kind: 'waiting' };
}

const IOS_STYLE_PROMPT = /^[\w.\-/:]{1,64}(?:\([^()]{1,64}\)){0,2}[>#]$/;
