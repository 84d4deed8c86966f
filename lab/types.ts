/** Every CLI personality the lab simulates; defined once, imported by the server, the runner and tests. */
export const LAB_VENDORS = ['huawei_vrp', 'cisco_ios', 'h3c_comware', 'juniper_junos'] as const;
export type LabVendor = (typeof LAB_VENDORS)[number];
export type LabEncoding = 'utf-8' | 'gbk';

/** How a device is reached; defined once for the server, the runner and tests. */
export const LAB_TRANSPORTS = ['ssh', 'telnet'] as const;
export type LabTransport = (typeof LAB_TRANSPORTS)[number];

/**
 * SSH algorithms a device offers: 'modern' is ssh2's defaults with the shared ed25519 host key;
 * 'legacy-only' is what old IOS / VRP images offer and nothing else (see LEGACY_SSH_ALGORITHMS).
 */
export const LAB_SSH_ALGORITHMS = ['modern', 'legacy-only'] as const;
export type LabSshAlgorithms = (typeof LAB_SSH_ALGORITHMS)[number];

/**
 * How an SSH device authenticates: 'password' (SSH password auth), or 'keyboard-interactive-token'
 * (password auth refused; keyboard-interactive asks `Password: ` then `Token: `).
 */
export const LAB_AUTH_MODES = ['password', 'keyboard-interactive-token'] as const;
export type LabAuthMode = (typeof LAB_AUTH_MODES)[number];

/** 'device': the device's own login; 'console_line': a console-server port, no login, silent until Enter. */
export const LAB_DEVICE_KINDS = ['device', 'console_line'] as const;
export type LabDeviceKind = (typeof LAB_DEVICE_KINDS)[number];

/** When `dropOnCommand` cuts the connection. */
export type DropMoment = 'before-output' | 'mid-output' | 'mid-pager';

export interface LabFaults {
  /** Every authentication attempt is rejected. */
  refuseLogin?: boolean;
  /** After login, the TCP connection is destroyed abruptly after N ms. */
  dropAfterMs?: number;
  /**
   * 'session': login and shell succeed but the device never writes a byte and ignores input (a device
   * that is silent after login);
   * 'connect': TCP accepted, no SSH banner ever sent.
   */
  hang?: 'session' | 'connect';
  /**
   * Once the shell opens, the device streams log lines endlessly (respecting backpressure: stop writing
   * when stream.write returns false, resume on 'drain'); stops when the channel closes.
   */
  flood?: boolean;
  /**
   * When the CLI moves from unprivileged to privileged (IOS `enable` with the right secret), the TCP
   * connection is destroyed before the privileged prompt is written.
   */
  dropAfterEnable?: boolean;
  /**
   * When a line equal to `command` (both trimmed) is entered in the shell, the TCP connection is
   * destroyed: 'before-output' right after the echo, 'mid-output' after the first half of the output's
   * lines (at least one), 'mid-pager' as soon as the first pager prompt is shown (when the output fits on
   * one screen there is no pager: the connection is dropped after the output, before the prompt). On an
   * exec channel (no pager) 'mid-pager' behaves like 'mid-output'.
   */
  dropOnCommand?: { command: string; when: DropMoment };
  /**
   * The device shows this prompt instead of its own after every command (e.g. `vrp8>` on a VRP device);
   * questions (passwords, [Y/N] confirmations) keep their own text.
   */
  promptOverride?: string;
}

export interface LabDeviceSpec {
  name: string;
  vendor: LabVendor;
  /** 0 = pick a free one. */
  port: number;
  username: string;
  password: string;
  /** IOS enable secret; default = password. */
  enablePassword?: string;
  /** Default utf-8. */
  encoding?: LabEncoding;
  /** Delay before each command's output, default 0. */
  latencyMs?: number;
  faults?: LabFaults;
  /** Default 'ssh'. A telnet device negotiates options and runs the vendor's own login prompts. */
  transport?: LabTransport;
  /** SSH only; default 'modern'. */
  sshAlgorithms?: LabSshAlgorithms;
  /** SSH only; default 'password'. A telnet login always asks username and password. */
  auth?: LabAuthMode;
  /** The one-time token 'keyboard-interactive-token' accepts (e.g. '123456'); required with that mode. */
  token?: string;
  /**
   * Default 'device'. A 'console_line' accepts any SSH authentication (even none) and asks no telnet
   * login: the connection is at the device's CLI, which writes nothing until Enter, then its prompt.
   */
  kind?: LabDeviceKind;
}

export interface RunningLabDevice extends LabDeviceSpec {
  /** Actual port. */
  port: number;
  host: string;
}
