import { z } from 'zod';
import { DEVICE_STATUSES } from '../devices/status';
import { TASK_DEVICE_STATUSES, TASK_STATUSES } from '../tasks/status';
import { ENCODINGS } from '../devices/encodings';
import { guestsFrame, observersFrame, pairingClientMessages } from './protocol-observe';

/**
 * The wire protocol: JSON text frames with a `type`, and (for terminal output, when the client asks)
 * binary frames, see "terminal output as binary frames" below. One module, imported by server
 * handlers and the browser. Names and fields of the seed design are kept as they are.
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
  flow: 'flow',
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
  inputFlow: 'input_flow',
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
  /**
   * The reader's terminal is behind (paused: true) or has caught up (false): the session holds the
   * device meanwhile, as it does for a full socket (lib/terminal/flow.ts, READER_WATER_MARKS).
   */
  z.object({ type: z.literal(MSG.flow), paused: z.boolean() }),
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
    /** A read-only terminal (a viewer, or a view-only grant): the guard rails' read-only rules apply. */
    read_only: z.boolean().optional(),
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
  /**
   * Typed or pasted keys wait behind a line the guard rails are checking: stop sending input
   * (paused: true) until told to go on (false); input sent regardless is refused past a limit.
   */
  z.object({ type: z.literal(MSG.inputFlow), paused: z.boolean() }),
  z.object({ type: z.literal(MSG.pong), ts: z.number() }),
  errorFrame,
  /** Who watches this session now (lib/realtime/handlers/observe.ts). */
  observersFrame,
  guestsFrame,
]);
export type TerminalServerMessage = z.infer<typeof terminalServerMessage>;

// ---- terminal output as binary frames ----------------------------------------------------------
/**
 * A terminal socket opened with `?output=binary` on its URL (`/ws/terminal/<id>?output=binary`, as
 * the browser opens it) gets each `output` frame as a binary frame: one byte saying what it is, then
 * the text in UTF-8 (BINARY_FRAME.output) or that UTF-8 compressed as one raw DEFLATE stream (RFC 1951,
 * BINARY_FRAME.deflatedOutput: only while the reader's link is behind, see compressOutput in
 * connections.ts). Such a socket does not negotiate permessage-deflate. Every other frame stays JSON
 * text, and a socket opened without the parameter (an API script) gets JSON `output` frames, and
 * permessage-deflate if it offers it, as before.
 *
 * Why binary: in JSON every control character of terminal output (each line's \r\n, every escape
 * sequence) becomes a six-byte escape, and serialising and parsing it cost about ten times the UTF-8
 * copy (~380 MB/s for JSON.stringify against ~3 GB/s for the copy on the benchmark machine). Why not
 * permessage-deflate: a browser that negotiated it compresses every frame it sends, each keystroke
 * included, and the server inflates each on its thread pool before it can act on it (keystrokes as
 * bench/echo.ts types them, against sshd: +0.15 ms at p50 and +0.6 ms at p99). Asked for on the URL
 * rather than in `connect` because framing belongs to the socket: the connection manager needs it at
 * the handshake, and every output frame the socket carries (the screen on attach included) is framed
 * the same way.
 */
export const OUTPUT_FRAMING_PARAM = 'output';
export const OUTPUT_FRAMINGS = ['json', 'binary'] as const;
export type OutputFraming = (typeof OUTPUT_FRAMINGS)[number];

/** The first byte of a binary server → client frame: what the rest of the frame is. */
export const BINARY_FRAME = {
  /** The rest is terminal output, UTF-8: the `output` message's `data`. */
  output: 0x01,
  /** The rest is terminal output, UTF-8, compressed as one complete raw DEFLATE stream. */
  deflatedOutput: 0x02,
} as const;

/** The output framing an upgrade URL (path and query, as the request line carries it) asks for. */
export function outputFramingOf(url: string | undefined): OutputFraming {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q < 0) return 'json';
  return new URLSearchParams(url.slice(q + 1)).get(OUTPUT_FRAMING_PARAM) === 'binary' ? 'binary' : 'json';
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * A binary `output` frame. Given `deflateRaw` (the server's zlib) it is compressed, unless that would
 * not make it smaller.
 */
export function encodeOutputFrame(data: string, deflateRaw?: (utf8: Uint8Array) => Uint8Array): Uint8Array {
  // one byte per UTF-16 unit holds ASCII, most terminal output, exactly in one pass; other text gets
  // room for three bytes per unit left once the encoder stops short
  let frame = new Uint8Array(1 + data.length);
  frame[0] = BINARY_FRAME.output;
  const first = utf8Encoder.encodeInto(data, frame.subarray(1));
  let length = 1 + first.written;
  if (first.read < data.length) {
    const rest = data.slice(first.read);
    const larger = new Uint8Array(length + rest.length * 3);
    larger.set(frame.subarray(0, length));
    length += utf8Encoder.encodeInto(rest, larger.subarray(length)).written;
    frame = larger;
  }
  frame = frame.subarray(0, length);
  if (!deflateRaw) return frame;
  const packed = deflateRaw(frame.subarray(1));
  if (packed.length + 1 >= frame.length) return frame;
  const deflated = new Uint8Array(1 + packed.length);
  deflated[0] = BINARY_FRAME.deflatedOutput;
  deflated.set(packed, 1);
  return deflated;
}

export type OutputMessage = Extract<TerminalServerMessage, { type: 'output' }>;
export type BinaryFrameResult = { ok: true; message: OutputMessage } | { ok: false; error: string };

/** Raw DEFLATE undone with the platform's DecompressionStream (browsers, Node): asynchronous. */
export async function inflateRawStream(deflated: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([deflated as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const outputOf = (utf8: Uint8Array): BinaryFrameResult => ({
  ok: true,
  message: { type: MSG.output, data: utf8Decoder.decode(utf8) },
});

/**
 * A binary server → client frame read back as the message it stands for; a value, never a throw. A
 * compressed frame is inflated with `inflateRaw`: synchronously when it is (the result is then too),
 * by default with inflateRawStream (the result is then a promise: keep later frames behind it).
 */
export function decodeBinaryFrame(
  bytes: Uint8Array,
  inflateRaw: (deflated: Uint8Array) => Uint8Array,
): BinaryFrameResult;
export function decodeBinaryFrame(
  bytes: Uint8Array,
  inflateRaw?: (deflated: Uint8Array) => Promise<Uint8Array>,
): BinaryFrameResult | Promise<BinaryFrameResult>;
export function decodeBinaryFrame(
  bytes: Uint8Array,
  inflateRaw: (deflated: Uint8Array) => Uint8Array | Promise<Uint8Array> = inflateRawStream,
): BinaryFrameResult | Promise<BinaryFrameResult> {
  if (bytes.length === 0) return { ok: false, error: 'empty binary frame' };
  if (bytes[0] === BINARY_FRAME.output) return outputOf(bytes.subarray(1));
  if (bytes[0] !== BINARY_FRAME.deflatedOutput)
    return { ok: false, error: `unknown binary frame kind ${bytes[0]}` };
  const bad = (err: unknown): BinaryFrameResult => ({
    ok: false,
    error: `compressed output frame not readable: ${(err as Error)?.message ?? String(err)}`,
  });
  try {
    const inflated = inflateRaw(bytes.subarray(1));
    return inflated instanceof Uint8Array ? outputOf(inflated) : inflated.then(outputOf, bad);
  } catch (err) {
    return bad(err);
  }
}

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
