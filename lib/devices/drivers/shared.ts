import type { CliMode, VendorDriver } from './types';

/**
 * Pieces the vendor drivers share. Every quantifier is bounded or sits behind a literal, and every
 * prompt pattern starts at a line start, so each pattern stays linear on hostile output
 * (patterns.test.ts times them all).
 */

/** Start of a line: where a prompt begins, in raw output (CR LF, or a lone CR redrawing the line) or clean. */
export const LINE_START = String.raw`(?:^|\r?\n|\r)`;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One device's prompt (`promptFor`): a RegExp of `LINE_START` + the platform's pattern with the
 * learned name(s) in it, as `source` and `exec` show. Its `test`, which a CLI session runs on every
 * chunk of output, goes through one pattern per platform instead, with the names as back-references
 * to lines put in front of the text: V8 compiles a regex per distinct source (about 0.1 ms on every
 * device of a task), the shared pattern once. Both answer the same: the shared pattern's
 * `(?:[\s\S]*(?:\r?\n|\r))?` is `LINE_START` (the start, or just after a CR or LF), and a back-reference
 * matches exactly what the escaped name does.
 */
export class LearnedPrompt extends RegExp {
  constructor(
    source: string,
    /** The platform's pattern `test` runs (patterns.test.ts times it on hostile output). */
    readonly shared: RegExp,
    /** The names, a line each, put in front of the text. */
    private readonly names: string,
  ) {
    super(source);
  }

  override test(text: string): boolean {
    return this.shared.test(this.names + text);
  }
}

/**
 * `promptFor` for a platform whose prompt shows the learned name(s) as they are: `body(names)` is the
 * pattern after the line start, given each name as a pattern (escaped, or a back-reference).
 */
export function learnedPrompts(
  count: number,
  body: (names: string[]) => string,
): (names: string[]) => RegExp {
  let shared: RegExp | null = null;
  return (names) => {
    const own = `${LINE_START}${body(names.map(escapeRegExp))}`;
    // a name is one line of a prompt; the header could not hold one with a line break in it
    if (names.length !== count || names.some((n) => /[\r\n]/.test(n))) return new RegExp(own);
    shared ??= new RegExp(
      String.raw`^${String.raw`([^\r\n]*)\n`.repeat(count)}(?:[\s\S]*(?:\r?\n|\r))?${body(
        names.map((_, i) => `(?:\\${i + 1})`),
      )}`,
    );
    return new LearnedPrompt(own, shared, names.map((n) => `${n}\n`).join(''));
  };
}

/**
 * How a device erases a pager prompt once it got the key: cursor-left, spaces, cursor-left (VRP,
 * Comware: `\x1b[16D` or `\x1b[42D`), backspaces, spaces, backspaces (IOS family), CR, spaces, CR
 * (Junos; NUL after CR on some channels), or CR and erase-to-end-of-line.
 */
export const PAGER_ERASE = String.raw`(?:\x1b\[\d{1,4}D(?: {1,80}\x1b\[\d{1,4}D)?|\x08{1,80} {1,80}\x08{1,80}|\r\x00? {1,80}\r\x00?|\r?\x1b\[K)?`;

/** The IOS-family pager ` --More-- `, at the end of the output and as an artifact with its erase. */
export const MORE_PAGER = /--More--[ \t]{0,8}$/;
export const MORE_ARTIFACT = new RegExp(String.raw` ?--More-- ?${PAGER_ERASE}`, 'g');

// ---- questions -------------------------------------------------------------------------------

/** Choices a question ends with: `[Y/N]:`, `(y/n)[n]:`, NX-OS `(y/n)?  [n]`, `[yes/no]:`. */
const YES_NO = String.raw`[[(](?:[Yy]\/[Nn]|[Yy]es\/[Nn]o)[\])]\??:?(?: {0,2}\[[YyNn]\]:?)?`;
/** Junos: `Request system reboot? [yes,no] (no) `. */
const JUNOS_YES_NO = String.raw`\[yes,no\](?: \((?:yes|no)\))?`;
/** VRP8 on leaving with uncommitted changes: `[Y(yes)/N(no)/C(cancel)]:`. */
const VRP8_COMMIT = String.raw`\[Y\(yes\)\/N\(no\)(?:\/C\(cancel\))?\]:`;
/** IOS family: `Proceed with reload? [confirm]`, `Destination filename [startup-config]?`, `[]?`. */
const CONFIRM = String.raw`\[confirm\]|\[[^\]\r\n]{0,100}\]\?`;
/** Comware `save`: `(To leave the existing filename unchanged, press the enter key):`. */
const COMWARE_FILENAME = String.raw`press the enter key\):`;
const ARE_YOU_SURE = String.raw`${LINE_START}Are you sure[^\r\n]{0,200}\?`;

export const QUESTIONS = { YES_NO, JUNOS_YES_NO, VRP8_COMMIT, CONFIRM, COMWARE_FILENAME, ARE_YOU_SURE };

/**
 * A question at the very end of the output, from the alternatives a platform uses. Each needs answer
 * words (`Y/N`, `yes,no`, `confirm`) or ends in `?` / `:`, which no prompt of these platforms does.
 */
export function questionPattern(...alternatives: string[]): RegExp {
  return new RegExp(`(?:${alternatives.join('|')})[ \\t]{0,4}$`);
}

// ---- IOS-family prompts: NAME>, NAME#, NAME(config-if)# ---------------------------------------

const IOS_NAME = String.raw`[\w.\-/:]{1,64}`;
/** `(config)`, `(config-if)`, Ruijie `(config-if-GigabitEthernet 0/1)`, EOS `(s1)` and `(config-s-sess1)`. */
const IOS_MODE = String.raw`\([^()\r\n]{1,64}\)`;

type PromptParts = Pick<VendorDriver, 'prompt' | 'promptName' | 'promptFor' | 'modeOf'>;

export function iosFamilyPrompts(options: {
  /** Whether the platform has an unprivileged `NAME>` level (NX-OS logs in privileged, `#` only). */
  userLevel: boolean;
  /** IOS / IOS-XE cut the hostname to 20 characters in configuration modes. */
  configNameLength?: number;
}): PromptParts {
  const end = options.userLevel ? '[>#]' : '#';
  const nameLine = new RegExp(String.raw`^(${IOS_NAME})(?:${IOS_MODE}){0,2}${end}$`);
  // the name, and the name as configuration modes show it (the same when it is short enough)
  const learned = learnedPrompts(2, ([full, cut]) => {
    const configName = cut === full ? full : `(?:${full}|${cut})`;
    return String.raw`(?:${full}(?:${IOS_MODE}){0,2}${end}|${configName}(?:${IOS_MODE}){1,2}#) ?$`;
  });
  return {
    prompt: new RegExp(String.raw`${LINE_START}${IOS_NAME}(?:${IOS_MODE}){0,2}${end} ?$`),
    promptName: (line) => nameLine.exec(line.trim())?.[1] ?? null,
    promptFor(name) {
      const cut = options.configNameLength;
      return learned([name, cut && name.length > cut ? name.slice(0, cut) : name]);
    },
    modeOf(line): CliMode {
      const text = line.trim();
      // `(config…)` is configuration; other groups are not (EOS `(s1)` supervisor, IOS `(tcl)`)
      if (/\(config[^()]{0,64}\)/.test(text)) return 'config';
      return options.userLevel && text.endsWith('>') ? 'user' : 'exec';
    },
  };
}

/** `% Invalid input detected at '^' marker.` and its kin, as the IOS family prints them. */
export const IOS_FAMILY_ERROR = /^% ?(?:Invalid (?:input|command)|Incomplete command|Ambiguous command)/m;

/** What IOS-style `enable` asks and how a wrong secret is answered. */
export const IOS_FAMILY_ENABLE: NonNullable<VendorDriver['enable']> = {
  command: 'enable',
  passwordPrompt: /[Pp]assword: ?$/,
  // After a wrong secret the device asks again (`Password:`), then gives up with `% Bad secrets`
  // (`% Bad passwords` on older IOS and Ruijie); AAA answers `% Access denied` / `% Authorization
  // failed`; `% No password set` when no enable secret is configured.
  refused:
    /(?:^|[\r\n])(?:% ?(?:Access denied|Bad secrets|Bad passwords|Authorization (?:denied|failed)|No password set)|[Pp]assword: ?$)/,
};

// ---- VRP / Comware prompts: <NAME>, [NAME], [~NAME-GigabitEthernet0/0/1] -----------------------

const BRACKET_NAME = String.raw`[^\s<>[\]]{1,64}`;
const VIEW = String.raw`(?:-[^\s<>[\]]{1,120})?`;
/**
 * Where a view begins inside `[NAME-VIEW]`: the interface types and views engineers use most. A
 * hostname may itself hold `-`, so the name is cut only before one of these; the reliable source
 * is the user view `<NAME>` these platforms log in to.
 */
const VIEW_START =
  /-(?:(?:X|XX|M-)?GigabitEthernet|Ten-GigabitEthernet|Twenty-FiveGigE|FortyGigE|HundredGigE|\d{2,3}GE|Eth-Trunk|Ethernet|Bridge-Aggregation|Route-Aggregation|Vlanif|Vlan-interface|vlan|LoopBack|NULL|Tunnel|MEth|ui|line|aaa|ospf|bgp|isis|rip|acl|vpn-instance|luser|radius|hwtacacs|route-policy|dhcp|ip-pool)(?=[\d\-/]|$)/;

export function bracketPrompts(options: {
  /** Hot-standby prefix of firewalls (`HRP_M<USG>` on Huawei, `RBM_P<H3C>` on Comware). */
  standbyPrefix: string;
}): PromptParts {
  const prefix = `(?:${options.standbyPrefix})?`;
  const nameLine = new RegExp(String.raw`^${prefix}(?:<(${BRACKET_NAME})>|\[[~*]?([^\s<>[\]]{1,200})\])$`);
  const learned = learnedPrompts(1, ([n]) => String.raw`${prefix}(?:<${n}>|\[[~*]?${n}${VIEW}\]) ?$`);
  return {
    prompt: new RegExp(
      String.raw`${LINE_START}${prefix}(?:<${BRACKET_NAME}>|\[[~*]?${BRACKET_NAME}${VIEW}\]) ?$`,
    ),
    promptName(line) {
      const m = nameLine.exec(line.trim());
      if (!m) return null;
      if (m[1]) return m[1];
      const inner = m[2]!;
      const view = VIEW_START.exec(inner);
      return view ? inner.slice(0, view.index) : inner;
    },
    promptFor: (name) => learned([name]),
    // The user view `<NAME>` runs every display command; `[…]` is the system view or a view below it.
    // Privilege is the AAA level given at login, which the prompt does not show: never 'user'.
    modeOf: (line) => (line.trim().endsWith(']') ? 'config' : 'exec'),
  };
}

/** `  ---- More ----` (VRP, Comware), at the end of the output and as an artifact with its erase. */
export const DASHED_MORE_PAGER = /-{2,4} ?More ?-{2,4}[ \t]{0,8}$/;
// Starts at the dashes, every repetition bounded: with ` *` in front, a run of spaces without a
// pager made this quadratic. cleanOutput removes the indent before the pager.
export const DASHED_MORE_ARTIFACT = new RegExp(String.raw`-{2,4} ?More ?-{2,4}${PAGER_ERASE}`, 'g');
