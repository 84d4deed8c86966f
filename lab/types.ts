export type LabVendor = 'huawei_vrp' | 'cisco_ios';
export type LabEncoding = 'utf-8' | 'gbk';

export interface LabFaults {
  /** Every authentication attempt is rejected. */
  refuseLogin?: boolean;
  /** After login, the TCP connection is destroyed abruptly after N ms. */
  dropAfterMs?: number;
  /**
   * 'session': login and shell succeed but the device never writes a byte and ignores input;
   * 'connect': TCP accepted, no SSH banner ever sent.
   */
  hang?: 'session' | 'connect';
  /**
   * Once the shell opens, the device streams log lines endlessly (respecting backpressure: stop writing
   * when stream.write returns false, resume on 'drain'); stops when the channel closes.
   */
  flood?: boolean;
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
}

export interface RunningLabDevice extends LabDeviceSpec {
  /** Actual port. */
  port: number;
  host: string;
}
