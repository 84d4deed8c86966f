import { z } from 'zod';
import { DEVICE_STATUSES } from '../devices/status';
import { TASK_DEVICE_STATUSES, TASK_STATUSES } from '../tasks/status';
import { ENCODINGS } from '../devices/encodings';
import { guestsFrame, observersFrame, pairingClientMessages } from './protocol-observe';

/**
 * The wire protocol: JSON text frames with a `type`. One module, imported by server handlers and the
 * browser. Names and fields of the seed design are kept as they are.
 */
export const PROTOCOL_VERSION = 1;

export const MSG = {
  // common
  error: 'error',
  // terminal, client → server
  connect: 'connect',
  command: 'command',
  getHistory: 'get_history',
  input: 'input',
  resize: 'resize',
  setEncoding: 'set_encoding',
  encoding: 'encoding',
  close: 'close',
  ping: 'ping',
  pong: 'pong',
  // terminal, server → client
  terminalConnected: 'terminal_connected',
  terminalError: 'terminal_error',
  commandStart: 'command_start',
  commandOutput: 'command_output',
  commandHistory: 'command_history',
  output: 'output',
  terminalClosed: 'terminal_closed',
  terminalNotice: 'terminal_notice',
  loginPrompt: 'login_prompt',
  loginAnswer: 'login_answer',
  // monitor
  subscribeTask: 'subscribe_task',
  unsubscribeTask: 'unsubscribe_task',
  taskUpdate: 'task_update',
  taskDevices: 'task_devices',
  // notifications
  deviceStatus: 'device_status',
  notification: 'notification',
  hello: 'hello',
  unreadCount: 'unread_count',
  notificationResync: 'notification_resync',
} as const;

/** Error codes carried by `error` frames. */
export const ERROR_CODES = {
  badJson: 'bad_json',
  badFrame: 'bad_frame',
  unknownType: 'unknown_type',
  frameTooLarge: 'frame_too_large',
  binaryNotSupported: 'binary_not_supported',
  notAllowed: 'not_allowed',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const errorFrame = z.object({ type: z.literal(MSG.error), code: z.string(), message: z.string() });
export type ErrorFrame = z.infer<typeof errorFrame>;

// ---- terminal ----------------------------------------------------------------------------------
export const TERMINAL_MAX_COLS = 1000;
export const TERMINAL_MAX_ROWS = 500;

export const terminalClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal(MSG.connect),
    session_id: z.string().max(128).optional(),
    cols: z.number().int().min(1).max(TERMINAL_MAX_COLS).optional(),
    rows: z.number().int().min(1).max(TERMINAL_MAX_ROWS).optional(),
  }),
  z.object({ type: z.literal(MSG.close) }),
  z.object({ type: z.literal(MSG.ping), ts: z.number() }),
  z.object({ type: z.literal(MSG.command), command: z.string().min(1).max(4096) }),
  z.object({
    type: z.literal(MSG.getHistory),
    /** Also the session's last command-mode results (a reloaded tab shows them again). */
    with_results: z.boolean().optional(),
  }),
  z.object({ type: z.literal(MSG.input), data: z.string().max(64 * 1024) }),
  /** The person's answers to a login question (null: they declined). Never logged or audited. */
  z.object({
    type: z.literal(MSG.loginAnswer),
    id: z.string().max(64),
    answers: z.array(z.string().max(1024)).max(10).nullable(),
  }),
  z.object({
    type: z.literal(MSG.resize),
    cols: z.number().int().min(1).max(TERMINAL_MAX_COLS),
    rows: z.number().int().min(1).max(TERMINAL_MAX_ROWS),
  }),
  /** Decode this tab's output and encode its input in another character set from now on. */
  z.object({ type: z.literal(MSG.setEncoding), encoding: z.enum(ENCODINGS) }),
  /** Pairing (protocol-observe.ts): invite a teammate, withdraw it, hand over or take back the keyboard. */
  ...pairingClientMessages,
]);
export type TerminalClientMessage = z.infer<typeof terminalClientMessage>;

export const terminalServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal(MSG.terminalConnected),
    device_id: z.string(),
    message: z.string(),
    session_id: z.string().optional(),
    /** True when this socket reattached to a session that already existed (scrollback follows). */
    resumed: z.boolean().optional(),
    /** The character set the session decodes the device's output with. */
    encoding: z.enum(ENCODINGS).optional(),
  }),
  /** The session's character set changed (answer to set_encoding). */
  z.object({ type: z.literal(MSG.encoding), encoding: z.enum(ENCODINGS) }),
  z.object({ type: z.literal(MSG.terminalError), error: z.string(), code: z.string().optional() }),
  z.object({ type: z.literal(MSG.commandStart), command: z.string() }),
  z.object({
    type: z.literal(MSG.commandOutput),
    command: z.string(),
    output: z.string(),
    status: z.enum(['success', 'error']),
  }),
  z.object({
    type: z.literal(MSG.commandHistory),
    history: z.array(z.string()),
    results: z
      .array(z.object({ command: z.string(), output: z.string(), status: z.enum(['success', 'error']) }))
      .optional(),
  }),
  z.object({ type: z.literal(MSG.output), data: z.string() }),
  z.object({ type: z.literal(MSG.terminalClosed), reason: z.string().optional() }),
  /** The device asks a login question the stored password cannot answer (a one-time token). */
  z.object({
    type: z.literal(MSG.loginPrompt),
    id: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
    timeout_ms: z.number().int(),
  }),
  /** Something the user should know (an idle warning); `message: null` clears it. */
  z.object({ type: z.literal(MSG.terminalNotice), message: z.string().nullable() }),
  z.object({ type: z.literal(MSG.pong), ts: z.number() }),
  errorFrame,
  /** Who watches this session now (lib/realtime/handlers/observe.ts). */
  observersFrame,
  guestsFrame,
]);
export type TerminalServerMessage = z.infer<typeof terminalServerMessage>;

// ---- monitor -----------------------------------------------------------------------------------

export const monitorClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal(MSG.subscribeTask), task_id: z.string().min(1).max(128) }),
  z.object({ type: z.literal(MSG.unsubscribeTask), task_id: z.string().min(1).max(128) }),
]);
export type MonitorClientMessage = z.infer<typeof monitorClientMessage>;

export const taskUpdate = z.object({
  type: z.literal(MSG.taskUpdate),
  task_id: z.string(),
  status: z.enum(TASK_STATUSES),
  progress: z.number().min(0).max(100),
  current_device: z.string().nullable(),
  total_devices: z.number().int(),
  completed_devices: z.number().int(),
  timestamp: z.string(),
});
export type TaskUpdate = z.infer<typeof taskUpdate>;

/** Per-device rows of one subscribed task (the snapshot on subscribe, then each device as it starts and finishes). */
export const taskDevices = z.object({
  type: z.literal(MSG.taskDevices),
  task_id: z.string(),
  snapshot: z.boolean(),
  devices: z.array(
    z.object({
      device_id: z.string().nullable(),
      device_name: z.string(),
      status: z.enum(TASK_DEVICE_STATUSES),
      error: z.string().nullable().optional(),
      duration_ms: z.number().nullable().optional(),
      /** JSON of [{command, output, status}], when small enough to carry live. */
      output: z.string().optional(),
    }),
  ),
});
export type TaskDevicesMessage = z.infer<typeof taskDevices>;

export const monitorServerMessage = z.discriminatedUnion('type', [taskUpdate, taskDevices, errorFrame]);
export type MonitorServerMessage = z.infer<typeof monitorServerMessage>;

// ---- notifications -----------------------------------------------------------------------------

export const deviceStatus = z.object({
  type: z.literal(MSG.deviceStatus),
  device_id: z.string(),
  status: z.enum(DEVICE_STATUSES),
  timestamp: z.string(),
});
export type DeviceStatusMessage = z.infer<typeof deviceStatus>;

/** Client → server on /ws/notifications: "the last notification I have is `last_seq`". */
export const notificationsClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal(MSG.hello), last_seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
]);
export type NotificationsClientMessage = z.infer<typeof notificationsClientMessage>;

export const notificationFrame = z.object({
  type: z.literal(MSG.notification),
  seq: z.number().int(),
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** The facts behind title and body (device, host, reason, outageMs, task, total, failed). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  link: z.string().nullable(),
  created_at: z.string(),
  read: z.boolean(),
});
export type NotificationFrame = z.infer<typeof notificationFrame>;

export const notificationsServerMessage = z.discriminatedUnion('type', [
  notificationFrame,
  deviceStatus,
  z.object({
    type: z.literal(MSG.unreadCount),
    count: z.number().int(),
    last_seq: z.number().int().optional(),
  }),
  /** Too much was missed (or the client's sequence is wrong): reload the list; `last_seq` is the server's. */
  z.object({ type: z.literal(MSG.notificationResync), last_seq: z.number().int(), reason: z.string() }),
  errorFrame,
]);
export type NotificationsServerMessage = z.infer<typeof notificationsServerMessage>;

/** Parse a text frame against a channel's schema; a value, never a throw. */
export type Parsed<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; message: string };

export function parseFrame<T>(schema: z.ZodType<T>, text: string, knownTypes: readonly string[]): Parsed<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, code: ERROR_CODES.badJson, message: 'Frame is not valid JSON.' };
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data) ||
    typeof (data as { type?: unknown }).type !== 'string'
  ) {
    return {
      ok: false,
      code: ERROR_CODES.badFrame,
      message: 'Frame must be a JSON object with a string "type".',
    };
  }
  const type = (data as { type: string }).type;
  if (!knownTypes.includes(type)) {
    return {
      ok: false,
      code: ERROR_CODES.unknownType,
      message: `Unknown message type "${type.slice(0, 64)}".`,
    };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'frame';
    return {
      ok: false,
      code: ERROR_CODES.badFrame,
      message: `Invalid "${type}" message: ${where}: ${issue?.message}`,
    };
  }
  return { ok: true, message: result.data };
}
