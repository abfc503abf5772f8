// The browser client of the realtime protocol (v1): an ES module, no build step.
// import { RealtimeClient } from '/realtime.js';
//
// It speaks JSON text frames (realtime.v1.json), or MessagePack (realtime.v1.msgpack) with
// { protocol: 'msgpack' }: the same frames as MessagePack maps in binary messages, where data may hold
// bytes (Uint8Array). The MessagePack codec is @msgpack/msgpack, imported from ./realtime-msgpack.js
// when first needed (the gateway serves it next to this file; the npm package depends on it).
//
// It reconnects by itself (exponential backoff with jitter), answers the server's pings and treats a
// silent server as gone (heartbeatIntervalMs: ping a server silent that long, default none, relying on
// the server's own pings; heartbeatTimeoutMs: how much longer to wait before giving up on it), and
// keeps its rooms: after a reconnect, or when it sees a gap in a room's seq, it rejoins with
// since/epoch and delivers what it missed, in order, before anything newer. When a room cannot be
// recovered it says so (onRecoveryFailed), naming the room. The seqs of its own publishes that the
// server does not echo back are known from their replies: they are not gaps.

export class RealtimeError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'RealtimeError';
    this.code = code;
  }
}

const defaults = {
  url: null,
  token: null,
  getToken: null,
  protocol: 'json',
  protocols: null,
  msgpack: null,
  retryFirstConnect: false,
  reconnect: { initialDelayMs: 250, maxDelayMs: 10000, jitter: 0.5, maxAttempts: Infinity },
  heartbeatIntervalMs: null,
  heartbeatTimeoutMs: 10000,
  requestTimeoutMs: 10000,
  resume: true,
  metadata: null,
  debug: false,
};

const MAX_TIMER_MS = 2147483647;
const SUBPROTOCOLS = { json: 'realtime.v1.json', msgpack: 'realtime.v1.msgpack' };
const STABLE_CONNECTION_MS = 5000;

export class RealtimeClient {
  constructor(options = {}) {
    this.options = { ...defaults, ...options, reconnect: { ...defaults.reconnect, ...(options.reconnect || {}) } };
    if (!(this.options.protocol in SUBPROTOCOLS)) throw new TypeError(`protocol must be 'json' or 'msgpack', not ${JSON.stringify(this.options.protocol)}`);
    this.options.protocols ??= [SUBPROTOCOLS[this.options.protocol]];
    if (!this.options.url) {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      this.options.url = `${scheme}://${location.host}/ws`;
    }
    this.state = 'disconnected';
    this.clientId = null;
    this.userId = null;
    this.resumed = false;
    this._resumeToken = null;
    this.serverHeartbeatMs = 25000;
    this._socket = null;
    this._session = null;
    this._generation = 0;
    this._nextId = 1;
    this._pending = new Map();
    this._handlers = [];
    this._requestHandlers = [];
    this._listeners = { state: new Set(), recoveryFailed: new Set(), error: new Set(), close: new Set(), joined: new Set() };
    this._rooms = new Map();
    this._metadata = new Map(Object.entries(this.options.metadata ?? {}));
    this._attempt = 0;
    this._closedByUser = false;
    this._firstConnection = null;
    this._connectedAt = 0;
    this._lastReceived = 0;
    this._watchdog = null;
    this._retryTimer = null;
    this._msgpack = this.options.msgpack;
  }

  /**
   * Connects and stays connected until close(); resolves when the first connection is made. When it
   * cannot be made it rejects (DISCONNECTED, the close code in the message) and the client stays
   * disconnected, unless retryFirstConnect: then it keeps trying as it does after a lost connection.
   */
  connect() {
    if (!this._firstConnection) {
      this._closedByUser = false;
      this._attempt = 0;
      this._firstConnection = new Promise((resolve, reject) => { this._resolveFirst = resolve; this._rejectFirst = reject; });
      this._setState('connecting');
      this._open();
    }
    return this._firstConnection;
  }

  /** Closes for good (1000): no reconnect. */
  close() {
    this._closedByUser = true;
    this._generation++;
    clearTimeout(this._retryTimer);
    clearInterval(this._watchdog);
    const socket = this._socket;
    this._socket = null;
    this._session = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'bye');
    this._failPending(new RealtimeError('DISCONNECTED', 'the client was closed'));
    this._rejectFirst?.(new RealtimeError('DISCONNECTED', 'the client was closed'));
    this._firstConnection = null;
    this._resolveFirst = null;
    this._rejectFirst = null;
    this._setState('disconnected');
  }

  /** Sends a frame with an id; resolves with the reply's data, rejects with a RealtimeError (its code). */
  request(type, action, data, { timeout, signal } = {}) {
    return this._request(type, action, data, null, timeout, signal);
  }

  /** Sends a frame without id: no reply. Throws a RealtimeError when not connected. */
  send(type, action, data) {
    if (!this._session) throw new RealtimeError('DISCONNECTED', 'not connected');
    this._send({ type, action, data });
  }

  /** Calls handler(push) for pushes of type/action ('*' matches any; on('*', h) takes everything). Returns an unsubscribe function. */
  on(type, action, handler) {
    if (typeof action === 'function') { handler = action; action = '*'; }
    const entry = { type, action, handler };
    this._handlers.push(entry);
    return () => { this._handlers = this._handlers.filter(h => h !== entry); };
  }

  /**
   * Answers the server's requests (pushes with rid) of type/action ('*' matches any) with what
   * handler(request) returns or resolves to. A handler that throws a RealtimeError answers with its
   * code; anything else it throws answers HANDLER_ERROR. A request no handler takes is answered
   * UNKNOWN_ROUTE. An answer goes only on the connection that was asked. Returns an unsubscribe function.
   */
  onRequest(type, action, handler) {
    const entry = { type, action, handler };
    this._requestHandlers.push(entry);
    return () => { this._requestHandlers = this._requestHandlers.filter(h => h !== entry); };
  }

  /** State changes: 'connecting' | 'connected' | 'reconnecting' | 'disconnected'. */
  onState(handler) { return this._listen('state', handler); }

  /** A room whose missed pushes could not all be recovered (reload its state). */
  onRecoveryFailed(handler) { return this._listen('recoveryFailed', handler); }

  /** Errors the server pushed for frames without id. */
  onError(handler) { return this._listen('error', handler); }

  /** Every connection that ends: { code, reason, reconnecting }. */
  onClose(handler) { return this._listen('close', handler); }

  /**
   * Joins a room; it is rejoined (recovering what was missed) after every reconnect. Called while
   * the client is (re)connecting, it waits for the connection. Joining a room already joined
   * returns the join in flight, or rejoins from where the client stands. `{ history: true }` on a
   * first join also delivers the room's recent pushes to the handlers first, oldest first.
   */
  async join(room, options = {}) {
    let tracked = this._rooms.get(room);
    if (tracked?.joining) return tracked.joining;
    await this._whenConnected();
    tracked = this._rooms.get(room);
    if (tracked?.joining) return tracked.joining;
    const isNew = !tracked;
    if (isNew) {
      tracked = newRoom(room);
      this._rooms.set(room, tracked);
    }
    tracked.recovering = true;
    const askedSince = tracked.epoch !== null;
    // A first join may ask for the room's recent history: delivered like missed pushes, and no failed
    // recovery when the room no longer holds all of it (it keeps its newest).
    const data = !askedSince && options.history ? { roomName: room, since: 0 } : joinData(tracked);
    tracked.joining = this._request('system', 'joinRoom', data, frame => this._onJoinReply(tracked, frame, askedSince));
    try {
      return await tracked.joining;
    } catch (error) {
      if (isNew && this._rooms.get(room) === tracked && tracked.epoch === null) this._rooms.delete(room);
      else if (this._rooms.get(room) === tracked && tracked.recovering && error.code !== 'DISCONNECTED') this._giveUp(tracked);
      throw error;
    } finally {
      tracked.joining = null;
    }
  }

  /** Leaves a room; it is not rejoined any more. */
  leave(room) {
    this._rooms.delete(room);
    return this.request('system', 'leaveRoom', { roomName: room });
  }

  /**
   * Broadcasts to a room; resolves with the push's seq. transient: no seq and not kept for
   * recovery (typing indicators, cursors); resolves with null. idempotencyKey (1-64 characters):
   * publishing again with the same key (a retry after a lost reply) broadcasts nothing and
   * resolves with the first seq.
   */
  async publish(room, type, action, data, { echo = false, transient = false, idempotencyKey } = {}) {
    const tracked = this._rooms.get(room);
    const own = tracked && !echo && !transient;
    if (own) tracked.pendingOwn++;
    let seq = null;
    try {
      seq = (await this.request('system', 'publish', { roomName: room, type, action, data, echo, transient, idempotencyKey })).seq ?? null;
      return seq;
    } finally {
      if (own) {
        tracked.pendingOwn = Math.max(0, tracked.pendingOwn - 1);
        if (seq !== null && seq > tracked.lastSeq) tracked.ownSeqs.add(seq);
        if (this._rooms.get(room) === tracked && !tracked.recovering) this._drain(tracked);
      }
    }
  }

  /** The room's members: [{ clientId, userId, metadata? }]. */
  async presence(room) {
    return (await this.request('system', 'presence', { roomName: room })).members;
  }

  /**
   * Keeps the room's online list: onChange(members) now and after every join, leave and rejoin, with
   * one entry per user ({ userId, clientId, connections, metadata }; per connection for anonymous
   * members). The room must be joined (or joined later). Returns a function that stops watching.
   */
  watchPresence(room, onChange) {
    const members = new Map();
    const queues = new Map();
    let latest = 0;
    const key = m => m.userId ?? m.clientId;
    const apply = push => {
      const m = push.data;
      if (push.action === 'leave') members.delete(key(m));
      else members.set(key(m), { userId: m.userId ?? null, clientId: m.clientId, connections: m.connections ?? [m.clientId], metadata: m.metadata ?? {} });
    };
    const emit = () => { try { onChange([...members.values()]); } catch (error) { console.error('realtime: a presence handler failed', error); } };
    const load = async () => {
      const id = ++latest;
      queues.set(id, []);
      let list = null;
      try { list = await this.presence(room); } catch (error) { this._log(`presence of ${room} failed`, error); }
      const queued = queues.get(id);
      queues.delete(id);
      if (id !== latest) return;
      if (list) {
        members.clear();
        for (const m of list) {
          const entry = members.get(key(m));
          if (entry) entry.connections.push(m.clientId);
          else members.set(key(m), { userId: m.userId ?? null, clientId: m.clientId, connections: [m.clientId], metadata: m.metadata ?? {} });
        }
      }
      queued.forEach(apply);
      emit();
    };
    const offPush = this.on('presence', '*', push => {
      if (push.room !== room) return;
      if (queues.size > 0) { for (const queue of queues.values()) queue.push(push); return; }
      apply(push);
      emit();
    });
    const offJoined = this._listen('joined', name => { if (name === room) load(); });
    const tracked = this._rooms.get(room);
    if (tracked?.epoch && !tracked.recovering && this.state === 'connected') load();
    return () => { offPush(); offJoined(); latest = -1; };
  }

  /** Sets one metadata key of this connection (null removes it); it is set again on every reconnect. */
  setMetadata(key, value) {
    if (value === null || value === undefined) this._metadata.delete(key);
    else this._metadata.set(key, value);
    return this._session ? this.request('system', 'setMetadata', { key, value: value ?? null }) : Promise.resolve({});
  }

  /** Gives the session a fresh token before the current one expires; later reconnects use it too. */
  async refreshToken(token) {
    const reply = await this.request('system', 'refreshToken', { token });
    if (!this.options.getToken) this.options.token = token;
    return reply;
  }

  /** The rooms this client is in. */
  get rooms() { return [...this._rooms.keys()]; }

  /** The subprotocol of the current connection ('realtime.v1.json' or 'realtime.v1.msgpack'), null when not connected. */
  get protocol() { return this._session ? this._session.protocol || SUBPROTOCOLS.json : null; }

  /** The last seq delivered for a room. */
  lastSeq(room) { return this._rooms.get(room)?.lastSeq; }

  // --- connection ---

  async _open() {
    const generation = ++this._generation;
    let socket;
    try {
      let url = this.options.url;
      const token = this.options.getToken ? await this.options.getToken() : this.options.token;
      if (generation !== this._generation || this._closedByUser) return;
      if (token) url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
      // The previous connection's session, when the server offered to keep it: the same clientId and rooms.
      if (this.options.resume && this._resumeToken) url += (url.includes('?') ? '&' : '?') + 'resume=' + encodeURIComponent(this._resumeToken);
      if (this.options.protocols.includes(SUBPROTOCOLS.msgpack) && !(await this._loadMsgpack(generation))) return;
      this._log('connecting to', this.options.url);
      socket = new WebSocket(url, this.options.protocols);
      socket.binaryType = 'arraybuffer';
    } catch (error) {
      if (generation !== this._generation || this._closedByUser) return;
      this._log('could not open a connection', error);
      this._onClosed(1006, String(error?.message ?? error));
      return;
    }
    this._socket = socket;
    this._lastReceived = Date.now();
    let connected = false;
    const connectTimer = setTimeout(() => {
      if (this._socket === socket && !connected) this._drop(socket, 'no connected frame in time');
    }, Math.min(this.options.requestTimeoutMs, MAX_TIMER_MS));
    socket.onmessage = event => {
      if (this._socket !== socket) return;
      this._lastReceived = Date.now();
      const frame = this._decode(socket, event.data);
      if (frame === null || typeof frame !== 'object') return;
      if (!connected && frame.type === 'system' && frame.action === 'connected') {
        connected = true;
        clearTimeout(connectTimer);
        this._onConnected(socket, frame.data);
        return;
      }
      this._onFrame(frame);
    };
    socket.onclose = event => {
      clearTimeout(connectTimer);
      if (this._socket === socket) this._onClosed(event.code, event.reason);
    };
  }

  /**
   * The MessagePack codec, once: options.msgpack, or ./realtime-msgpack.js. Without it the client cannot
   * speak what it was asked to: it stops (disconnected, connect() rejected with UNSUPPORTED_PROTOCOL).
   */
  async _loadMsgpack(generation) {
    if (!this._msgpack) {
      try {
        const codec = await import('./realtime-msgpack.js');
        this._msgpack = { encode: codec.encode, decode: codec.decode };
      } catch (error) {
        if (generation !== this._generation || this._closedByUser) return false;
        console.error('realtime: the MessagePack codec (./realtime-msgpack.js, @msgpack/msgpack) could not be loaded', error);
        this._stop(new RealtimeError('UNSUPPORTED_PROTOCOL', `protocol 'msgpack' needs @msgpack/msgpack: ${error?.message ?? error}`));
        return false;
      }
    }
    return generation === this._generation && !this._closedByUser;
  }

  /** A received message as a frame, by the connection's subprotocol; null when it is not one. */
  _decode(socket, message) {
    try {
      if (socket.protocol === SUBPROTOCOLS.msgpack) return typeof message === 'string' ? null : this._msgpack.decode(new Uint8Array(message));
      return typeof message === 'string' ? JSON.parse(message) : null;
    } catch (error) {
      this._log('a message that is not a frame', error);
      return null;
    }
  }

  /** Gives up on a socket at once (closing a dead one can take long). */
  _drop(socket, reason) {
    this._log(reason);
    socket.onclose = null;
    socket.onmessage = null;
    // Not 1000 or 1001 (a client that leaves): this client comes back, and its session waits for it (resume).
    socket.close(4100, reason.slice(0, 100));
    if (this._socket === socket) this._onClosed(1006, reason);
  }

  _onClosed(code, reason) {
    this._socket = null;
    this._session = null;
    clearInterval(this._watchdog);
    this._log('closed', code, reason);
    this._failPending(new RealtimeError('DISCONNECTED', `the connection closed (${code})`));
    if (this._connectedAt && Date.now() - this._connectedAt >= STABLE_CONNECTION_MS) this._attempt = 0;
    this._connectedAt = 0;
    // Refused by policy (kicked, too many connections, token expired) with no way to get a new token: stop.
    const refused = code === 1008 && !this.options.getToken;
    // A first connection that could not be made fails fast (as the .NET client's ConnectAsync does), unless asked to retry.
    const firstFailed = this._resolveFirst && !this.options.retryFirstConnect;
    const { maxAttempts, initialDelayMs, maxDelayMs, jitter } = this.options.reconnect;
    const reconnecting = !this._closedByUser && !refused && !firstFailed && this._attempt < maxAttempts;
    this._emit('close', { code, reason, reconnecting });
    if (this._closedByUser) return;
    if (!reconnecting) {
      this._stop(new RealtimeError('DISCONNECTED', refused ? `refused: ${reason}` : `could not connect (${code}${reason ? ': ' + reason : ''})`));
      return;
    }
    this._attempt++;
    const exponential = Math.min(initialDelayMs * 2 ** Math.min(this._attempt - 1, 16), maxDelayMs);
    const delay = exponential * (1 - jitter + Math.random() * jitter);
    this._setState(this._resolveFirst ? 'connecting' : 'reconnecting');
    this._retryTimer = setTimeout(() => this._open(), delay);
  }

  /** Stays disconnected: the first connect() rejects with error. */
  _stop(error) {
    this._setState('disconnected');
    this._rejectFirst?.(error);
    this._firstConnection = null;
    this._resolveFirst = null;
    this._rejectFirst = null;
  }

  async _onConnected(socket, data) {
    this.clientId = data.clientId;
    this.userId = data.userId ?? null;
    this.resumed = data.resumed === true;
    this._resumeToken = data.resumeToken ?? null;
    if (data.heartbeatMs > 0) this.serverHeartbeatMs = data.heartbeatMs;
    this._session = socket;
    this._connectedAt = Date.now();
    this._startWatchdog(socket);
    // The rooms to rejoin are those known before this connection; rooms joined from now on join themselves.
    const rejoin = [...this._rooms.values()].filter(r => r.epoch !== null);
    for (const room of rejoin) {
      room.recovering = true;
      room.held = [];
      room.resyncPending = false;
    }
    // The connection's metadata first, so that rooms see it from the moment it (re)joins them.
    await Promise.all([...this._metadata].map(([key, value]) =>
      this._request('system', 'setMetadata', { key, value }).catch(error => this._log(`metadata ${key} was refused`, error))));
    if (this._socket !== socket) return;
    this._setState('connected');
    if (this._resolveFirst) { this._resolveFirst(); this._resolveFirst = null; this._rejectFirst = null; }
    for (const room of rejoin) this._recover(room);
  }

  _startWatchdog(socket) {
    clearInterval(this._watchdog);
    let pingedAt = 0;
    this._watchdog = setInterval(() => {
      if (this._socket !== socket) { clearInterval(this._watchdog); return; }
      const own = this.options.heartbeatIntervalMs;
      const interval = own ?? this.serverHeartbeatMs;
      const silent = Date.now() - this._lastReceived;
      if (own && silent > interval && pingedAt <= this._lastReceived) {
        pingedAt = Date.now();
        // With an id: a server that answers only frames with ids answers this one.
        this._request('system', 'ping').catch(() => {});
      }
      if (silent > interval + this.options.heartbeatTimeoutMs) this._drop(socket, `the server has been silent for ${silent} ms`);
    }, 250);
  }

  _whenConnected() {
    if (this._session && this.state === 'connected') return Promise.resolve();
    if (this.state === 'disconnected') return Promise.reject(new RealtimeError('DISCONNECTED', 'not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new RealtimeError('DISCONNECTED', 'not connected in time')); }, Math.min(this.options.requestTimeoutMs, MAX_TIMER_MS));
      const off = this.onState(state => {
        if (state === 'connected') { clearTimeout(timer); off(); resolve(); }
        else if (state === 'disconnected') { clearTimeout(timer); off(); reject(new RealtimeError('DISCONNECTED', 'the client was closed')); }
      });
    });
  }

  _onFrame(frame) {
    if (frame.id !== undefined && 'ok' in frame) {
      const pending = this._pending.get(String(frame.id));
      if (pending) {
        this._pending.delete(String(frame.id));
        pending.onReply?.(frame);
        frame.ok ? pending.resolve(frame.data) : pending.reject(new RealtimeError(frame.code, frame.error));
      }
      return;
    }
    if (typeof frame.rid === 'string') {
      this._onServerRequest(frame);
      return;
    }
    if (frame.type === 'system') {
      switch (frame.action) {
        case 'ping': this._trySend({ type: 'system', action: 'pong' }); return;
        case 'resync': this._onResync(frame.room); return;
        case 'error': this._emit('error', frame); return;
        case 'roomJoined': this._onServerJoin(frame); break;
        case 'roomLeft': this._rooms.delete(frame.room); break;
      }
    }
    if (frame.room && typeof frame.seq === 'number') {
      this._onRoomPush(frame);
      return;
    }
    this._dispatch(frame);
  }

  async _onServerRequest(frame) {
    const socket = this._socket;
    const entry = this._requestHandlers.find(h => (h.type === '*' || h.type === frame.type) && (h.action === '*' || h.action === frame.action));
    let answer;
    try {
      if (!entry) throw new RealtimeError('UNKNOWN_ROUTE', `No request handler for ${frame.type}/${frame.action}`);
      const data = await entry.handler(frame);
      answer = { rid: frame.rid, ok: true, data: data === undefined ? null : data };
    } catch (error) {
      if (error instanceof RealtimeError) {
        answer = { rid: frame.rid, ok: false, code: error.code || 'HANDLER_ERROR', error: error.message };
      } else {
        console.error('realtime: a request handler failed', error);
        answer = { rid: frame.rid, ok: false, code: 'HANDLER_ERROR', error: "The client's request handler failed" };
      }
    }
    if (this._socket === socket) this._trySend({ type: 'system', action: 'answer', data: answer });
  }

  // --- rooms ---

  _onRoomPush(frame) {
    const room = this._rooms.get(frame.room);
    if (!room) { this._dispatch(frame); return; }
    room.held.push(frame);
    if (!room.recovering) this._drain(room);
  }

  /**
   * Delivers the held pushes that come next in order. What is left after a gap waits for the replies
   * of the client's own publishes (their seqs are not echoed), then the room is recovered.
   */
  _drain(room) {
    room.held.sort((a, b) => a.seq - b.seq);
    while (room.held.length > 0) {
      this._skipOwn(room);
      const next = room.held[0];
      if (next.seq <= room.lastSeq) { room.held.shift(); continue; }
      if (next.seq !== room.lastSeq + 1) break;
      room.held.shift();
      room.lastSeq = next.seq;
      this._dispatch(next);
    }
    if (room.held.length > 0 && room.pendingOwn === 0) {
      this._log(`room ${room.name}: seq jumped from ${room.lastSeq} to ${room.held[0].seq}; recovering`);
      room.recovering = true;
      this._recover(room);
    }
  }

  _skipOwn(room) {
    while (room.ownSeqs.has(room.lastSeq + 1)) {
      room.ownSeqs.delete(room.lastSeq + 1);
      room.lastSeq++;
    }
  }

  _onResync(name) {
    const room = this._rooms.get(name);
    if (!room) return;
    if (room.recovering) { room.resyncPending = true; return; }
    room.recovering = true;
    this._recover(room);
  }

  _onServerJoin(frame) {
    const room = this._rooms.get(frame.room) ?? newRoom(frame.room);
    // A room known in this epoch keeps its position (a user's room after a reconnect, say): its
    // rejoin, or the gap the next push shows, recovers what came in between.
    if (room.epoch !== frame.data.epoch) {
      room.lastSeq = frame.data.seq;
      room.ownSeqs.clear();
    }
    room.epoch = frame.data.epoch;
    this._rooms.set(frame.room, room);
    this._emit('joined', frame.room);
  }

  async _recover(room) {
    if (this._rooms.get(room.name) !== room) return;
    const askedSince = room.epoch !== null;
    try {
      await this._request('system', 'joinRoom', joinData(room), frame => this._onJoinReply(room, frame, askedSince));
    } catch (error) {
      // DISCONNECTED: the next connection rejoins. A refusal was handled with its reply.
      if (error.code === 'TIMEOUT' || error.code === 'ABORTED') this._giveUp(room);
    }
  }

  _onJoinReply(room, frame, askedSince) {
    if (this._rooms.get(room.name) !== room) {
      // Left while the join was in flight: do not stay in the room.
      if (frame.ok) this._trySend({ type: 'system', action: 'leaveRoom', data: { roomName: room.name } });
      return;
    }
    if (!frame.ok) {
      if (askedSince) { this._rooms.delete(room.name); this._emit('recoveryFailed', room.name); }
      room.held = [];
      room.recovering = false;
      return;
    }
    let recovered = frame.data.recovered;
    if (askedSince && frame.data.epoch !== room.epoch) {
      // The room's history was reset: seqs start again, and nothing held from before counts.
      room.lastSeq = 0;
      room.held = [];
      room.ownSeqs.clear();
      recovered = false;
    }
    room.epoch = frame.data.epoch;
    for (const missed of frame.data.missed) {
      if (missed.seq <= room.lastSeq) continue;
      room.lastSeq = missed.seq;
      // A push the client published itself, sent back to its new connection: not news.
      if (room.ownSeqs.delete(missed.seq)) continue;
      this._dispatch(missed);
    }
    room.lastSeq = Math.max(room.lastSeq, frame.data.seq);
    for (const seq of room.ownSeqs) if (seq <= room.lastSeq) room.ownSeqs.delete(seq);
    if (askedSince && !recovered) this._emit('recoveryFailed', room.name);
    room.recovering = false;
    if (room.resyncPending) {
      room.resyncPending = false;
      room.recovering = true;
      this._recover(room);
    } else {
      this._drain(room);
    }
    this._emit('joined', room.name);
  }

  /** A recovery that got no answer: say so, and go on from what is held. */
  _giveUp(room) {
    this._emit('recoveryFailed', room.name);
    room.held.sort((a, b) => a.seq - b.seq);
    for (const held of room.held) {
      if (held.seq > room.lastSeq) { room.lastSeq = held.seq; this._dispatch(held); }
    }
    room.held = [];
    room.recovering = false;
  }

  // --- plumbing ---

  _request(type, action, data, onReply, timeout, signal) {
    const id = 'b' + this._nextId++;
    return new Promise((resolve, reject) => {
      if (!this._session || this._session !== this._socket) { reject(new RealtimeError('DISCONNECTED', 'not connected')); return; }
      if (signal?.aborted) { reject(new RealtimeError('ABORTED', 'the request was aborted')); return; }
      const limit = Math.min(timeout ?? this.options.requestTimeoutMs, MAX_TIMER_MS);
      const onAbort = () => { if (this._pending.delete(id)) done(reject)(new RealtimeError('ABORTED', 'the request was aborted')); };
      const timer = setTimeout(() => { if (this._pending.delete(id)) done(reject)(new RealtimeError('TIMEOUT', `no reply to ${type}/${action} within ${limit} ms`)); }, limit);
      const done = fn => value => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); fn(value); };
      this._pending.set(id, { resolve: done(resolve), reject: done(reject), onReply });
      signal?.addEventListener('abort', onAbort, { once: true });
      const frame = { type, action, id };
      if (data !== undefined) frame.data = data;
      try {
        this._send(frame);
      } catch (error) {
        this._pending.delete(id);
        done(reject)(error);
      }
    });
  }

  _send(frame) {
    const socket = this._socket;
    if (socket?.readyState !== WebSocket.OPEN) throw new RealtimeError('DISCONNECTED', 'not connected');
    // Undefined properties are left out in both encodings, as JSON.stringify leaves them out.
    socket.send(socket.protocol === SUBPROTOCOLS.msgpack ? this._msgpack.encode(frame, { ignoreUndefined: true }) : JSON.stringify(frame));
  }

  _trySend(frame) {
    try { this._send(frame); } catch { /* the connection is closing; the next one starts afresh */ }
  }

  _dispatch(frame) {
    for (const { type, action, handler } of this._handlers) {
      if ((type === '*' || type === frame.type) && (action === '*' || action === frame.action)) {
        try { handler(frame); } catch (error) { console.error('realtime: a push handler failed', error); }
      }
    }
  }

  _failPending(error) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) p.reject(error);
  }

  _listen(kind, handler) {
    this._listeners[kind].add(handler);
    return () => this._listeners[kind].delete(handler);
  }

  _emit(kind, value) {
    for (const handler of [...this._listeners[kind]]) {
      try { handler(value); } catch (error) { console.error(`realtime: a ${kind} handler failed`, error); }
    }
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._log('state', state);
    this._emit('state', state);
  }

  _log(...args) {
    if (this.options.debug) console.debug('realtime:', ...args);
  }
}

function newRoom(name) {
  return { name, epoch: null, lastSeq: 0, recovering: false, held: [], ownSeqs: new Set(), pendingOwn: 0, resyncPending: false, joining: null };
}

function joinData(room) {
  return room.epoch === null ? { roomName: room.name } : { roomName: room.name, since: room.lastSeq, epoch: room.epoch };
}
