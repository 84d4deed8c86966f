/**
 * The login a device runs itself on a telnet line (over SSH, authentication is the protocol's): the
 * vendor's greeting, username and password prompts, its message for a failed attempt, and a line editor
 * that echoes the username but not the password. Pure: bytes in, text to write and an outcome out.
 */
import { safeEqual } from './model';
import type { LabVendor } from './types';

/** Failed attempts before the device hangs up, as IOS, VRP and Comware do by default. */
export const TELNET_LOGIN_MAX_TRIES = 3;

/** Longest username or password line kept; further characters are ignored. */
export const TELNET_LOGIN_MAX_LINE_CHARS = 128;

export interface TelnetLoginText {
  /** Written once, before the first username prompt. */
  greeting: string;
  username: string;
  password: string;
  /** Written after a rejected attempt, before the next username prompt (or the hang-up). */
  failure: string;
  /** Whether the CLI's own banner is shown after login (Comware shows it before the login instead). */
  bannerAfterLogin: boolean;
}

const COMWARE_COPYRIGHT = [
  '******************************************************************************',
  '* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.*',
  "* Without the owner's prior written consent,                                 *",
  '* no decompiling or reverse-engineering shall be allowed.                    *',
  '******************************************************************************',
].join('\r\n');

/** What each vendor prints on a telnet (vty) login with local AAA. */
export function telnetLoginText(vendor: LabVendor, hostname: string): TelnetLoginText {
  switch (vendor) {
    case 'cisco_ios':
      return {
        greeting: '\r\nUser Access Verification\r\n\r\n',
        username: 'Username: ',
        password: 'Password: ',
        failure: '\r\n% Login invalid\r\n\r\n',
        bannerAfterLogin: true,
      };
    case 'huawei_vrp':
      return {
        greeting: '\r\nLogin authentication\r\n\r\n\r\n',
        username: 'Username:',
        password: 'Password:',
        failure: '\r\nError: Failed to authenticate.\r\n',
        bannerAfterLogin: true,
      };
    case 'h3c_comware':
      return {
        greeting: `\r\n${COMWARE_COPYRIGHT}\r\n\r\n`,
        username: 'Login: ',
        password: 'Password: ',
        failure: '\r\n% Authentication failed.\r\n\r\n',
        bannerAfterLogin: false,
      };
    case 'juniper_junos':
      // Junos runs FreeBSD's login(1) on its pseudo-terminals.
      return {
        greeting: `\r\n\r\n${hostname} (ttyp0)\r\n\r\n`,
        username: 'login: ',
        password: 'Password:',
        failure: '\r\nLogin incorrect\r\n',
        bannerAfterLogin: true,
      };
  }
}

export type LoginOutcome = 'pending' | 'accepted' | 'refused';

export interface LoginStep {
  /** Text to send to the client (echo, prompts, messages). */
  write: string;
  outcome: LoginOutcome;
  /** Once accepted: the username typed. */
  username?: string;
  /** Once accepted: input that followed the password line (type-ahead for the CLI). */
  rest?: Buffer;
}

export interface LoginCheck {
  (username: string, password: string): boolean;
}

/**
 * The username / password dialogue. Input is read byte by byte (logins are ASCII); CR, LF, CR LF and
 * CR NUL each end a line; backspace (0x08 / 0x7f) edits; Ctrl+C and other control bytes are ignored.
 */
export class TelnetLogin {
  private field: 'username' | 'password' = 'username';
  private line = '';
  private username = '';
  private failures = 0;
  /** The previous line ended with CR: a following LF or NUL belongs to it. */
  private afterCr = false;
  private done: LoginOutcome = 'pending';

  constructor(
    private readonly text: TelnetLoginText,
    private readonly check: LoginCheck,
    private readonly maxTries = TELNET_LOGIN_MAX_TRIES,
  ) {}

  start(): string {
    return this.text.greeting + this.text.username;
  }

  /** True when the line being typed is a password (the client should not see it echoed). */
  get secret(): boolean {
    return this.field === 'password';
  }

  feed(data: Buffer): LoginStep {
    let write = '';
    for (let i = 0; i < data.length; i++) {
      if (this.done !== 'pending') break;
      const byte = data[i];
      const wasCr = this.afterCr;
      this.afterCr = false;
      if (byte === 0x0d || byte === 0x0a) {
        if (wasCr && byte === 0x0a) continue;
        this.afterCr = byte === 0x0d;
        write += this.enter();
        if (this.accepted()) {
          let next = i + 1;
          if (this.afterCr && next < data.length && (data[next] === 0x0a || data[next] === 0x00)) {
            next++;
            this.afterCr = false;
          }
          return { write, outcome: 'accepted', username: this.username, rest: data.subarray(next) };
        }
      } else if (byte === 0x00) {
        // CR NUL is a bare carriage return (RFC 854); a NUL alone is nothing.
      } else if (byte === 0x08 || byte === 0x7f) {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          if (this.field === 'username') write += '\b \b';
        }
      } else if (byte >= 0x20 && this.line.length < TELNET_LOGIN_MAX_LINE_CHARS) {
        const ch = String.fromCharCode(byte);
        this.line += ch;
        if (this.field === 'username') write += ch;
      }
    }
    return { write, outcome: this.done };
  }

  /**
   * After acceptance, whether the first byte the CLI will see is the LF / NUL of the CR that ended the
   * password (it arrived in a later packet) and must be skipped.
   */
  get pendingCr(): boolean {
    return this.afterCr;
  }

  private accepted(): boolean {
    return this.done === 'accepted';
  }

  private enter(): string {
    const line = this.line;
    this.line = '';
    if (this.field === 'username') {
      // An empty username: the prompt again, as the real devices do.
      if (line === '') return `\r\n${this.text.username}`;
      this.username = line;
      this.field = 'password';
      return `\r\n${this.text.password}`;
    }
    this.field = 'username';
    if (this.check(this.username, line)) {
      this.done = 'accepted';
      return '\r\n';
    }
    this.failures++;
    if (this.failures >= this.maxTries) {
      this.done = 'refused';
      return this.text.failure;
    }
    return this.text.failure + this.text.username;
  }
}

/** The default check: the spec's username and password, compared in constant time. */
export function credentialCheck(username: string, password: string): LoginCheck {
  return (u, p) => {
    const userOk = safeEqual(u, username);
    const passOk = safeEqual(p, password);
    return userOk && passOk;
  };
}
