// Type declarations for /realtime.js, the browser client of the realtime protocol (v1).

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A frame the server pushes: to a room (with room and seq), a user, a connection or everyone. */
export interface Push<TData = unknown> {
  type: string;
  action: string;
  data?: TData;
  /** The room of a room push. */
  room?: string;
  /** The room's sequence number: gap-free per room and epoch. */
  seq?: number;
  /** Who published it, when a client did. */
  from?: { clientId: string; userId: string | null };
  /** A server request's id: the push asks for an answer (see onRequest). */
  rid?: string;
}

export interface ReconnectOptions {
  /** The first delay. Default 250 ms. */
  initialDelayMs?: number;
  /** The longest delay. Default 10 000 ms. */
  maxDelayMs?: number;
  /** The share of each delay drawn at random (0..1). Default 0.5. */
  jitter?: number;
  /** Attempts in a row before giving up. Default Infinity. */
  maxAttempts?: number;
}

export interface RealtimeClientOptions {
  /** The WebSocket endpoint. Default ws(s)://<this page's host>/ws. */
  url?: string;
  /** A token sent at every connection. */
  token?: string | null;
  /** Called before every connection for a fresh token; wins over `token`. */
  getToken?: (() => string | null | Promise<string | null>) | null;
  /**
   * The wire encoding. 'json' (default): JSON text frames. 'msgpack': MessagePack maps in binary
   * messages (realtime.v1.msgpack), where `data` may hold bytes (Uint8Array) both ways; the codec is
   * imported from ./realtime-msgpack.js (@msgpack/msgpack) at the first connect.
   */
  protocol?: 'json' | 'msgpack';
  /** Subprotocols offered, first preferred. Default: the one of `protocol`. */
  protocols?: string[];
  /** A MessagePack codec of your own (e.g. @msgpack/msgpack with an ExtensionCodec); default: ./realtime-msgpack.js. */
  msgpack?: MessagePackCodec | null;
  /**
   * Keep trying when the first connection cannot be made (as after a lost one). Default false:
   * connect() rejects with DISCONNECTED and the client stays disconnected.
   */
  retryFirstConnect?: boolean;
  reconnect?: ReconnectOptions;
  /** Ping a server silent for this long. Default null: rely on the server's pings (its heartbeatMs). */
  heartbeatIntervalMs?: number | null;
  /** How much longer than the heartbeat interval a silent server is given before the client reconnects. Default 10 000 ms. */
  heartbeatTimeoutMs?: number;
  /** Connection metadata (setMetadata) set at every connection, before rooms are rejoined. */
  metadata?: Record<string, string> | null;
  /** The default request timeout. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Ask for the previous session back on every reconnect (the same clientId, rooms and metadata, within the server's resume window). Default true. */
  resume?: boolean;
  /** Logs the client's life to console.debug. */
  debug?: boolean;
}

/** What the client needs of a MessagePack library: @msgpack/msgpack's encode and decode. */
export interface MessagePackCodec {
  encode(value: unknown, options?: { ignoreUndefined?: boolean }): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

export interface RequestOptions {
  timeout?: number;
  signal?: AbortSignal;
}

export interface RoomMember {
  clientId: string;
  userId: string | null;
  metadata?: Record<string, string>;
}

export interface OnlineMember {
  userId: string | null;
  clientId: string;
  /** The user's connections in the room. */
  connections: string[];
  metadata: Record<string, string>;
}

/** A failed request: `code` is the server's error code (INVALID_MESSAGE, FORBIDDEN...) or TIMEOUT, DISCONNECTED, ABORTED, UNSUPPORTED_PROTOCOL. */
export class RealtimeError extends Error {
  constructor(code: string, message: string);
  readonly code: string;
}

export class RealtimeClient {
  constructor(options?: RealtimeClientOptions);

  /** The options in use (defaults filled in). */
  readonly options: Required<Omit<RealtimeClientOptions, 'reconnect' | 'msgpack'>> & { reconnect: Required<ReconnectOptions>; msgpack: MessagePackCodec | null };
  readonly state: ConnectionState;
  /** The server's heartbeat interval from the last `connected` frame. */
  readonly serverHeartbeatMs: number;
  readonly clientId: string | null;
  /** Whether the current connection resumed the previous one's session. */
  readonly resumed: boolean;
  readonly userId: string | null;
  /** The rooms this client is in (and rejoins after a reconnect). */
  readonly rooms: string[];
  /** The current connection's subprotocol; null when not connected. */
  readonly protocol: 'realtime.v1.json' | 'realtime.v1.msgpack' | null;

  /**
   * Connects and stays connected until close(); resolves at the first connection. When that cannot be
   * made it rejects (DISCONNECTED; UNSUPPORTED_PROTOCOL when the MessagePack codec cannot be loaded),
   * unless `retryFirstConnect`.
   */
  connect(): Promise<void>;
  /** Closes for good: no reconnect. */
  close(): void;

  /** Sends a frame with an id and resolves with the reply's data; rejects with a RealtimeError. */
  request<TReply = unknown>(type: string, action: string, data?: unknown, options?: RequestOptions): Promise<TReply>;
  /** Sends a frame without id: no reply. Throws a RealtimeError when not connected. */
  send(type: string, action: string, data?: unknown): void;

  /** Pushes of a type and action ('*' for any); returns a function that unsubscribes. */
  on<TData = unknown>(type: string, action: string, handler: (push: Push<TData>) => void): () => void;
  on(type: string, handler: (push: Push) => void): () => void;

  /**
   * Answers the server's requests of a type and action ('*' for any) with what the handler returns or
   * resolves to; a thrown RealtimeError answers with its code, anything else HANDLER_ERROR, and a
   * request no handler takes UNKNOWN_ROUTE. Returns a function that unsubscribes.
   */
  onRequest<TData = unknown, TResult = unknown>(type: string, action: string, handler: (request: Push<TData>) => TResult | Promise<TResult>): () => void;

  onState(handler: (state: ConnectionState) => void): () => void;
  /** A room whose missed pushes could not all be recovered: reload its state. */
  onRecoveryFailed(handler: (room: string) => void): () => void;
  /** Every connection that ends; `reconnecting` is false when the client gives up (a 1008 refusal without getToken, or out of attempts). */
  onClose(handler: (event: { code: number; reason: string; reconnecting: boolean }) => void): () => void;
  /** Errors the server pushed for frames sent without id. */
  onError(handler: (frame: { type: 'system'; action: 'error'; ok: false; error: string; code: string }) => void): () => void;

  /**
   * Joins a room (waiting for the connection if need be); resolves with the join reply (seq, epoch, recovered, missed).
   * With `history`, a first join also delivers the room's recent pushes (those it still holds, up to the
   * server's recovery limit) to the handlers, oldest first, before anything newer.
   */
  join(room: string, options?: { history?: boolean }): Promise<{ roomName: string; seq: number; epoch: string; recovered: boolean; missed: Push[] }>;
  leave(room: string): Promise<unknown>;
  /** Broadcasts to a room; resolves with the push's seq (null when transient: no seq, not kept for recovery). */
  publish(room: string, type: string, action: string, data?: unknown, options?: { echo?: boolean; transient?: boolean; idempotencyKey?: string }): Promise<number | null>;
  /** The room's members, one per connection. */
  presence(room: string): Promise<RoomMember[]>;
  /** The room's online list, kept up to date; returns a function that stops watching. */
  watchPresence(room: string, onChange: (members: OnlineMember[]) => void): () => void;
  /** Sets a metadata key of this connection (null removes it). */
  setMetadata(key: string, value: string | null): Promise<unknown>;
  /** Gives the session a fresh token before the current one expires (later reconnects use it when there is no getToken). */
  refreshToken(token: string): Promise<{ expiresAt: number | null }>;
  /** The last seq delivered for a room. */
  lastSeq(room: string): number | undefined;
}
