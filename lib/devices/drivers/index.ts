import type { Vendor } from '../schema';

/**
 * Vendor CLI drivers: how to recognise the prompt and the pager, how to turn paging off, which
 * output means the command failed, and how to clean captured output of echo, backspaces, ANSI and
 * pager artifacts. Pure data + functions; used by the terminal's command mode and batch tasks.
 */
export interface VendorDriver {
  vendor: Vendor;
  /** A prompt at the very end of the output (no newline after it). */
  prompt: RegExp;
  /** A pager prompt at the very end of the output. */
  pager: RegExp;
  /** What to send to get the next page. */
  pagerKey: string;
  /** Pager prompt and its erase sequence, anywhere in captured output. */
  pagerArtifact: RegExp;
  /** Session command that turns paging off, if the platform has one. */
  disablePaging: string | null;
  /** Output that means the device rejected the command. */
  errors: RegExp[];
  /** Command and prompt to enter privileged mode with an enable secret, if the platform has one. */
  enable?: { command: string; passwordPrompt: RegExp; privilegedPrompt: RegExp; unprivilegedPrompt: RegExp };
}

export const huaweiVrp: VendorDriver = {
  vendor: 'huawei_vrp',
  // <NAME>, [NAME], [NAME-GigabitEthernet0/0/1], VRP8 [~NAME] / [*NAME]
  prompt: /(?:^|[\r\n])[<[][~*]?[^\s<>[\]]+[>\]]\s?$/,
  pager: /-{2,4} ?More ?-{2,4}\s*$/,
  pagerKey: ' ',
  // Starts at the dashes, every repetition bounded: with ` *` in front, a run of spaces without a
  // pager made this quadratic (150,000 spaces from a device blocked the event loop for 11.7 s). The
  // spaces before the pager are removed by cleanOutput.
  pagerArtifact: /-{2,4} ?More ?-{2,4}(?:\x1b\[\d{1,4}D)?(?: {1,80}\x1b\[\d{1,4}D)?/g,
  disablePaging: 'screen-length 0 temporary',
  errors: [
    /^[ \t]*Error:/m, // not \s*: it spans newlines, quadratic on a run of empty lines
    /Unrecognized command found/,
    /Incomplete command found/,
    /Wrong parameter found/,
    /Too many parameters found/,
  ],
};

export const ciscoIos: VendorDriver = {
  vendor: 'cisco_ios',
  // NAME>, NAME#, NAME(config)#, NAME(config-if)#
  prompt: /(?:^|[\r\n])[\w.\-@/:]+(?:\([\w.\-/]+\))?[>#] ?$/,
  pager: /--More--\s*$/,
  pagerKey: ' ',
  pagerArtifact: / ?--More-- ?(?:\x08{1,16} {1,16}\x08{1,16})?/g,
  disablePaging: 'terminal length 0',
  errors: [/^% ?(?:Invalid|Incomplete|Ambiguous|Unknown|Bad)/m, /% Invalid input detected/],
  enable: {
    command: 'enable',
    passwordPrompt: /[Pp]assword: ?$/,
    privilegedPrompt: /(?:^|[\r\n])[\w.\-@/:]+#\s?$/,
    unprivilegedPrompt: /(?:^|[\r\n])[\w.\-@/:]+>\s?$/,
  },
};

export const generic: VendorDriver = {
  vendor: 'generic',
  // user@host:~$ , root@host:/# , host> , bash-5.1$
  prompt: /(?:^|[\r\n])[^\r\n]{0,200}[$#>%] ?$/,
  pager: /(?:--More--|\(END\))\s*$/,
  pagerKey: ' ',
  pagerArtifact: / ?--More-- ?(?:\x08{1,16} {1,16}\x08{1,16})?/g,
  disablePaging: null,
  errors: [/command not found/, /^-\w+: .*: not found/m],
};

export const DRIVERS: Record<Vendor, VendorDriver> = { huawei_vrp: huaweiVrp, cisco_ios: ciscoIos, generic };

export function driverFor(vendor: string): VendorDriver {
  return DRIVERS[vendor as Vendor] ?? generic;
}

// ---- output clean-up -----------------------------------------------------------------------

// CSI sequences (cursor moves, colours), OSC (titles), and two-character escapes.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78DEHM]/g;

/** The patterns clean-up runs over whole captured outputs (listed so the linear-time test covers them). */
export const CLEANUP_PATTERNS = { ansi: ANSI };

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Apply backspaces the way a terminal would (erase the previous character on the line). */
export function applyBackspaces(text: string): string {
  if (!text.includes('\b')) return text;
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') {
      if (out.length > 0 && out[out.length - 1] !== '\n') out.pop();
    } else out.push(ch);
  }
  return out.join('');
}

/** Spaces a pager prompt may be indented by (VRP: two). */
const PAGER_INDENT_MAX = 8;

/** Remove pager prompts, their erase sequences and their indent; linear in the output's length. */
function removePagerArtifacts(driver: VendorDriver, raw: string): string {
  const parts = raw.split(driver.pagerArtifact);
  if (parts.length === 1) return raw;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    let end = p.length;
    while (end > 0 && p.length - end < PAGER_INDENT_MAX && p[end - 1] === ' ') end--;
    parts[i] = p.slice(0, end);
  }
  return parts.join('');
}

/**
 * Clean the raw output captured between sending `command` and the next prompt: remove pager
 * artifacts, ANSI, backspaces, the echoed command line and the trailing prompt.
 */
export function cleanOutput(driver: VendorDriver, raw: string, command: string): string {
  let text = removePagerArtifacts(driver, raw);
  text = stripAnsi(text);
  text = applyBackspaces(text);
  // carriage returns: CRLF → LF; a lone CR rewinds the line, keep what was written last
  text = text.replace(/\r+\n/g, '\n');
  text = text
    .split('\n')
    .map((line) => (line.includes('\r') ? (line.split('\r').filter(Boolean).pop() ?? '') : line))
    .join('\n');
  const lines = text.split('\n');
  // echo: the first line is the command as typed (possibly after the prompt)
  const cmd = command.trim();
  if (lines.length > 0 && cmd && lines[0]!.trimEnd().endsWith(cmd)) lines.shift();
  // trailing prompt
  if (lines.length > 0 && driver.prompt.test(lines[lines.length - 1]!)) lines.pop();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  return lines.map((l) => l.trimEnd()).join('\n');
}

export function outputIsError(driver: VendorDriver, output: string): boolean {
  return driver.errors.some((re) => re.test(output));
}
