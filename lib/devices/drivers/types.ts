import type { Vendor } from '../schema';

/**
 * The CLI mode a prompt shows. `user`: a restricted exec level that needs `enable` (or the vendor's
 * equivalent) before privileged commands; `exec`: operational commands with full privileges (VRP's
 * user view, IOS `#`, Junos `>`); `config`: any configuration mode or view.
 */
export type CliMode = 'user' | 'exec' | 'config';

/**
 * One kind of secret in configuration output (password hashes, SNMP communities, keys, pre-shared
 * secrets) and where it sits. `pattern` has the global and multiline flags and two named groups,
 * matched one after the other: `keep`, the keywords in front of the secret (never empty: the line
 * keeps saying what it configures), and `secret`, the value that redaction replaces with SECRET_MARK
 * (a quoted value keeps its quotes). What follows the value is not matched and stays as it is.
 */
export interface SecretRule {
  /** What it hides, in a few words (`SNMP community`, `enable secret`). */
  label: string;
  /**
   * Literal text every line the rule hides something in contains (one of them): lines without any
   * are skipped, which keeps redaction of a long configuration fast.
   */
  hints: readonly string[];
  /** Applied to each line on its own, unless the secret spans lines (a key block's body). */
  pattern: RegExp;
  spansLines?: boolean;
}

/**
 * A vendor CLI driver: pure data and pure functions, no I/O. The CLI session (lib/devices/cli.ts)
 * uses it to learn the device's prompt, enter privileged mode, turn paging off, answer the pager,
 * recognise errors and questions, and clean captured output. Every RegExp here runs on device output
 * and must be linear-time on hostile input (drivers/patterns.test.ts checks each one).
 */
export interface VendorDriver {
  vendor: Vendor;
  /** Human name, e.g. "Huawei VRP". */
  label: string;
  /** Any prompt of this platform, in any mode, at the very end of the output (nothing after it). */
  prompt: RegExp;
  /**
   * The device's name as its prompt shows it, from one prompt line of this platform (`<sw1>` and
   * `[~sw1-GigabitEthernet0/0/1]` → `sw1`, `R1(config-if)#` → `R1`, `admin@mx1>` → `admin@mx1`);
   * null when the line is not a prompt of this platform.
   */
  promptName(line: string): string | null;
  /**
   * This one device's prompt, in every mode, from its learned name (the name escaped): matches at the
   * very end of output and nothing else (another device's prompt, or `name>` inside a line, does not).
   */
  promptFor(name: string): RegExp;
  /** The mode one prompt line of this platform shows. */
  modeOf(line: string): CliMode;
  /** A pager prompt at the very end of the output. */
  pager: RegExp;
  /** What to send to get the next page. */
  pagerKey: string;
  /** Pager prompt and its erase sequence, anywhere in captured output (global flag). */
  pagerArtifact: RegExp;
  /** Commands run once after login (and after enable) to turn paging off and widen the terminal. */
  sessionSetup: string[];
  /** Output that means the device rejected the command (the vendor's real messages). */
  errors: RegExp[];
  /**
   * A question at the very end of the output that waits for an answer (`[Y/N]:`, `[confirm]`,
   * `[yes,no]`, `Destination filename [startup-config]?`), so an unexpected one fails at once.
   */
  question: RegExp;
  /** Privilege escalation, where the platform has one: used when the learned prompt's mode is `user`. */
  enable?: {
    command: string;
    /** The secret prompt at the end of the output. */
    passwordPrompt: RegExp;
    /** The device's answer to a wrong secret (`% Access denied`, `% Bad secrets`). */
    refused: RegExp;
  };
  /** Command that shows the platform and version (vendor detection, Test connection). */
  versionCommand: string;
  /** A harmless command to suggest in the UI (command-mode hint). */
  example: string;
  /** Evidence of this vendor in a login banner, a prompt or the version command's output. */
  fingerprints: RegExp[];
  /**
   * Where this platform's configuration shows secrets, applied in order by redactSecrets
   * (lib/automation/redact.ts), as Oxidized's `remove_secret` does.
   */
  secrets: readonly SecretRule[];
}
