/**
 * A lean WebSocket terminal client for the portal (lighter than tests/harness TestClient, which keeps
 * every frame): output into a TextSink, waits for terminal_connected / terminal_closed. It takes
 * output as the browser does (binary frames, permessage-deflate offered) unless told otherwise.
 */
import type net from 'node:net';
import { inflateRawSync } from 'node:zlib';
import WebSocket from 'ws';
import { decodeBinaryFrame, OUTPUT_FRAMING_PARAM, type OutputFraming } from '../../lib/realtime/protocol';
import { TextSink } from './text';

export interface PortalEndpoint {
  wsBase: string;
  origin: string;
}

export function openSocket(
  endpoint: PortalEndpoint,
  path: string,
  cookie: string,
  opts: { timeoutMs?: number; perMessageDeflate?: boolean } = {},
): Promise<WebSocket> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  // Browsers offer permessage-deflate; so does this client unless told otherwise.
  const ws = new WebSocket(endpoint.wsBase + path, {
    headers: { Origin: endpoint.origin, Cookie: cookie },
    perMessageDeflate: opts.perMessageDeflate ?? true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no WebSocket upgrade for ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('unexpected-response', (_q, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export class WsTerminal {
  readonly sink: TextSink;
  closed = false;
  private connected: { resolve: (id: string) => void; reject: (e: Error) => void } | null = null;
  private closedWaiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    sinkKeep?: number,
    onOutput?: (data: string) => void,
  ) {
    this.sink = new TextSink(sinkKeep);
    ws.on('error', () => {});
    ws.on('message', (raw, isBinary) => {
      if (isBinary) {
        const d = decodeBinaryFrame(raw as Buffer, inflateRawSync);
        // a frame the client cannot read fails the measurement waiting on this sink
        if (!d.ok) return this.sink.close(`bad binary frame: ${d.error}`);
        if (onOutput) onOutput(d.message.data);
        else this.sink.feed(d.message.data);
        return;
      }
      const f = JSON.parse(raw.toString()) as {
        type: string;
        data?: string;
        session_id?: string;
        error?: string;
        code?: string;
      };
      switch (f.type) {
        case 'output':
          if (onOutput) onOutput(f.data!);
          else this.sink.feed(f.data!);
          return;
        case 'terminal_connected':
          this.connected?.resolve(f.session_id ?? '');
          this.connected = null;
          return;
        case 'terminal_error':
          this.connected?.reject(new Error(`terminal_error ${f.code}: ${f.error}`));
          this.connected = null;
          return;
        case 'terminal_closed':
          this.markClosed();
          return;
      }
    });
    ws.on('close', () => {
      this.connected?.reject(new Error('socket closed before the terminal connected'));
      this.connected = null;
      this.markClosed();
    });
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close('terminal closed');
    for (const w of this.closedWaiters.splice(0)) w();
  }

  static async open(
    endpoint: PortalEndpoint,
    cookie: string,
    deviceId: string,
    opts: {
      sinkKeep?: number;
      onOutput?: (data: string) => void;
      perMessageDeflate?: boolean;
      /** How output frames come (default binary, as the browser asks; json as an API script gets them). */
      output?: OutputFraming;
    } = {},
  ): Promise<WsTerminal> {
    const query = (opts.output ?? 'binary') === 'binary' ? `?${OUTPUT_FRAMING_PARAM}=binary` : '';
    const ws = await openSocket(endpoint, `/ws/terminal/${deviceId}${query}`, cookie, {
      perMessageDeflate: opts.perMessageDeflate,
    });
    return new WsTerminal(ws, opts.sinkKeep, opts.onOutput);
  }

  /**
   * Open the SSH session (or reattach to `sessionId`, wherever it lives); resolves with its id once
   * terminal_connected arrives.
   */
  connect(cols: number, rows: number, timeoutMs = 20_000, sessionId?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no terminal_connected within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.connected = {
        resolve: (id) => {
          clearTimeout(timer);
          resolve(id);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.ws.send(
        JSON.stringify({ type: 'connect', cols, rows, ...(sessionId && { session_id: sessionId }) }),
      );
    });
  }

  input(data: string): void {
    this.ws.send(JSON.stringify({ type: 'input', data }));
  }

  get rawSocket(): net.Socket {
    return (this.ws as unknown as { _socket: net.Socket })._socket;
  }

  /** Close the session (unless `keepSession`: a reload) and the socket; resolves when the socket is closed (bounded). */
  async close(timeoutMs = 5000, keepSession = false): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN && !keepSession)
      this.ws.send(JSON.stringify({ type: 'close' }));
    const gone = new Promise<void>((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
    });
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close();
    const timer = setTimeout(() => this.ws.terminate(), timeoutMs);
    await gone;
    clearTimeout(timer);
  }
}
