// The browser client of the realtime protocol (v1): an ES module, no build step.
// import { RealtimeClient } from '/realtime.js';
//
// It reconnects by itself (exponential backoff with jitter), answers the server's pings and treats a
// silent server as gone (heartbeatIntervalMs: ping a server silent that long, default none, relying on
// the server's own pings; heartbeatTimeoutMs: how much longer to wait before giving up on it), and keeps its rooms: after a reconnect, or when it sees a gap in a room's
// seq, it rejoins with since/epoch and delivers what it missed, in order, before anything newer.
// When a room cannot be recovered it says so (onRecoveryFailed), naming the room.

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
  protocols: ['realtime.v1.json'],
  reconnect: { initialDelayMs: 250, maxDelayMs: 10000, jitter: 0.5, maxAttempts: Infinity },
  heartbeatIntervalMs: null,
  heartbeatTimeoutMs: 10000,
  requestTimeoutMs: 10000,
  metadata: null,
  debug: false,
};

export class RealtimeClient {
  constructor(options = {}) {
    this.options = { ...defaults, ...options, reconnect: { ...defaults.reconnect, ...(options.reconnect || {}) } };
    if (!this.options.url) {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      this.options.url = `${scheme}://${location.host}/ws`;
    }
    this.state = 'disconnected';
    this.clientId = null;
    this.userId = null;
    this.serverHeartbeatMs = 25000;
    this._socket = null;
    this._nextId = 1;
    this._pending = new Map();
    this._handlers = [];
    this._listeners = { state: new Set(), recoveryFailed: new Set(), error: new Set(), joined: new Set() };
    this._rooms = new Map();
    this._metadata = new Map(Object.entries(this.options.metadata ?? {}));
    this._session = null;
    this._attempt = 0;
    this._closedByUser = false;
    this._firstConnection = null;
    this._lastReceived = 0;
    this._watchdog = null;
    this._retryTimer = null;
  }

  /** Connects and stays connected until close(); resolves when the first connection is made. */
  connect() {
    if (!this._firstConnection) {
      this._closedByUser = false;
      this._firstConnection = new Promise((resolve, reject) => { this._resolveFirst = resolve; this._rejectFirst = reject; });
      this._setState('connecting');
      this._open();
    }
    return this._firstConnection;
  }

  /** Closes for good (1000): no reconnect. */
  close() {
    this._closedByUser = true;
    clearTimeout(this._retryTimer);
    clearInterval(this._watchdog);
    if (this._socket && this._socket.readyState <= WebSocket.OPEN) this._socket.close(1000, 'bye');
    this._socket = null;
    this._session = null;
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

  /** Sends a frame without id: no reply. */
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

  /** State changes: 'connecting' | 'connected' | 'reconnecting' | 'disconnected'. */
  onState(handler) { return this._listen('state', handler); }

  /** A room whose missed pushes could not all be recovered (reload its state). */
  onRecoveryFailed(handler) { return this._listen('recoveryFailed', handler); }

  /** Errors the server pushed for frames without id. */
  onError(handler) { return this._listen('error', handler); }

  /** Joins a room; it is rejoined (recovering what was missed) after every reconnect. */
  async join(room) {
    let tracked = this._rooms.get(room);
    const isNew = !tracked;
    if (isNew) {
      tracked = { name: room, epoch: null, lastSeq: 0, recovering: true, held: [] };
      this._rooms.set(room, tracked);
    }
    tracked.recovering = true;
    try {
      return await this._request('system', 'joinRoom', joinData(tracked), frame => this._onJoinReply(tracked, frame));
    } catch (error) {
      if (isNew) this._rooms.delete(room);
      throw error;
    }
  }

  /** Leaves a room; it is not rejoined any more. */
  leave(room) {
    this._rooms.delete(room);
    return this.request('system', 'leaveRoom', { roomName: room });
  }

  /** Broadcasts to a room; resolves with the push's seq. */
  async publish(room, type, action, data, { echo = false } = {}) {
    return (await this.request('system', 'publish', { roomName: room, type, action, data, echo })).seq;
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
    let queued = null;
    const key = m => m.userId ?? m.clientId;
    const apply = push => {
      const m = push.data;
      if (push.action === 'leave') members.delete(key(m));
      else members.set(key(m), { userId: m.userId ?? null, clientId: m.clientId, connections: m.connections ?? [m.clientId], metadata: m.metadata ?? {} });
    };
    const emit = () => { try { onChange([...members.values()]); } catch (error) { console.error('realtime: a presence handler failed', error); } };
    const load = async () => {
      queued = [];
      let list;
      try { list = await this.presence(room); } catch (error) { this._log(`presence of ${room} failed`, error); queued = null; return; }
      members.clear();
      for (const m of list) {
        const entry = members.get(key(m));
        if (entry) entry.connections.push(m.clientId);
        else members.set(key(m), { userId: m.userId ?? null, clientId: m.clientId, connections: [m.clientId], metadata: m.metadata ?? {} });
      }
      queued.forEach(apply);
      queued = null;
      emit();
    };
    const offPush = this.on('presence', '*', push => {
      if (push.room !== room) return;
      if (queued) { queued.push(push); return; }
      apply(push);
      emit();
    });
    const offJoined = this._listen('joined', name => { if (name === room) load(); });
    if (this._rooms.get(room)?.epoch && this.state === 'connected') load();
    return () => { offPush(); offJoined(); };
  }

  /** Sets one metadata key of this connection (null removes it); it is set again on every reconnect. */
  setMetadata(key, value) {
    if (value === null || value === undefined) this._metadata.delete(key);
    else this._metadata.set(key, value);
    return this._session ? this.request('system', 'setMetadata', { key, value: value ?? null }) : Promise.resolve({});
  }

  /** Gives the session a fresh token before the current one expires. */
  refreshToken(token) {
    return this.request('system', 'refreshToken', { token });
  }

  /** The rooms this client is in. */
  get rooms() { return [...this._rooms.keys()]; }

  /** The last seq delivered for a room. */
  lastSeq(room) { return this._rooms.get(room)?.lastSeq; }

  // --- connection ---

  async _open() {
    let socket;
    try {
      let url = this.options.url;
      const token = this.options.getToken ? await this.options.getToken() : this.options.token;
      if (token) url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
      this._log('connecting to', this.options.url);
      socket = new WebSocket(url, this.options.protocols);
    } catch (error) {
      this._log('could not open a connection', error);
      this._onClosed(1006, String(error?.message ?? error));
      return;
    }
    this._socket = socket;
    this._lastReceived = Date.now();
    let connected = false;
    socket.onmessage = event => {
      this._lastReceived = Date.now();
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (!connected && frame.type === 'system' && frame.action === 'connected') {
        connected = true;
        this._onConnected(frame.data);
        return;
      }
      this._onFrame(frame);
    };
    socket.onclose = event => {
      if (this._socket === socket) this._onClosed(event.code, event.reason);
    };
  }

  _onClosed(code, reason) {
    this._socket = null;
    this._session = null;
    clearInterval(this._watchdog);
    this._log('closed', code, reason);
    this._failPending(new RealtimeError('DISCONNECTED', `the connection closed (${code})`));
    if (this._closedByUser) return;
    this._attempt++;
    const { maxAttempts, initialDelayMs, maxDelayMs, jitter } = this.options.reconnect;
    if (this._attempt > maxAttempts) {
      this._setState('disconnected');
      this._rejectFirst?.(new RealtimeError('DISCONNECTED', 'could not connect'));
      this._firstConnection = null;
      return;
    }
    const exponential = Math.min(initialDelayMs * 2 ** Math.min(this._attempt - 1, 16), maxDelayMs);
    const delay = exponential * (1 - jitter + Math.random() * jitter);
    this._setState(this._resolveFirst ? 'connecting' : 'reconnecting');
    this._retryTimer = setTimeout(() => this._open(), delay);
  }

  async _onConnected(data) {
    const socket = this._socket;
    this.clientId = data.clientId;
    this.userId = data.userId ?? null;
    if (data.heartbeatMs > 0) this.serverHeartbeatMs = data.heartbeatMs;
    this._attempt = 0;
    this._session = socket;
    this._startWatchdog();
    // The rooms to rejoin are those known before this connection; rooms joined from now on join themselves.
    const rejoin = [...this._rooms.values()].filter(r => r.epoch !== null);
    rejoin.forEach(r => { r.recovering = true; });
    // The connection's metadata first, so that rooms see it from the moment it (re)joins them.
    await Promise.all([...this._metadata].map(([key, value]) =>
      this._request('system', 'setMetadata', { key, value }).catch(error => this._log(`metadata ${key} was refused`, error))));
    if (this._socket !== socket) return;
    this._setState('connected');
    if (this._resolveFirst) { this._resolveFirst(); this._resolveFirst = null; this._rejectFirst = null; }
    for (const room of rejoin) this._recover(room);
  }

  _startWatchdog() {
    clearInterval(this._watchdog);
    let pingedAt = 0;
    const socket = this._socket;
    this._watchdog = setInterval(() => {
      const own = this.options.heartbeatIntervalMs;
      const interval = own ?? this.serverHeartbeatMs;
      const silent = Date.now() - this._lastReceived;
      if (own && silent > interval && pingedAt <= this._lastReceived) {
        pingedAt = Date.now();
        this._trySend({ type: 'system', action: 'ping' });
      }
      if (silent > interval + this.options.heartbeatTimeoutMs) {
        this._log(`the server has been silent for ${silent} ms; reconnecting`);
        // Closing a dead socket can take long: give it up at once.
        socket.onclose = null;
        socket.close(4000, 'server silent');
        if (this._socket === socket) this._onClosed(1006, 'server silent');
      }
    }, 250);
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

  // --- rooms ---

  _onRoomPush(frame) {
    const room = this._rooms.get(frame.room);
    if (!room) { this._dispatch(frame); return; }
    if (room.recovering) { room.held.push(frame); return; }
    if (frame.seq <= room.lastSeq) return;
    if (frame.seq === room.lastSeq + 1) {
      room.lastSeq = frame.seq;
      this._dispatch(frame);
      return;
    }
    this._log(`room ${room.name}: seq jumped from ${room.lastSeq} to ${frame.seq}; recovering`);
    room.recovering = true;
    room.held.push(frame);
    this._recover(room);
  }

  _onResync(name) {
    const room = this._rooms.get(name);
    if (room && !room.recovering) {
      room.recovering = true;
      this._recover(room);
    }
  }

  _onServerJoin(frame) {
    const room = this._rooms.get(frame.room) ?? { name: frame.room, epoch: null, lastSeq: 0, recovering: false, held: [] };
    room.epoch = frame.data.epoch;
    room.lastSeq = Math.max(room.lastSeq, frame.data.seq);
    this._rooms.set(frame.room, room);
    this._emit('joined', frame.room);
  }

  async _recover(room) {
    try {
      await this._request('system', 'joinRoom', joinData(room), frame => this._onJoinReply(room, frame));
    } catch (error) {
      if (error.code === 'DISCONNECTED') return;            // the next connection rejoins
      if (this._rooms.get(room.name) === room && room.recovering) this._release(room, true, false);
    }
  }

  _onJoinReply(room, frame) {
    const askedSince = room.epoch !== null;
    if (!frame.ok) {
      if (askedSince) { this._rooms.delete(room.name); this._emit('recoveryFailed', room.name); }
      room.held = [];
      room.recovering = false;
      return;
    }
    let recovered = frame.data.recovered;
    if (askedSince && frame.data.epoch !== room.epoch) { room.lastSeq = 0; recovered = false; }
    room.epoch = frame.data.epoch;
    for (const missed of frame.data.missed) {
      if (missed.seq > room.lastSeq) { room.lastSeq = missed.seq; this._dispatch(missed); }
    }
    room.lastSeq = Math.max(room.lastSeq, frame.data.seq);
    this._release(room, askedSince, recovered);
    this._emit('joined', room.name);
  }

  _release(room, askedSince, recovered) {
    if (askedSince && !recovered) this._emit('recoveryFailed', room.name);
    for (const held of room.held.sort((a, b) => a.seq - b.seq)) {
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
      const limit = timeout ?? this.options.requestTimeoutMs;
      const timer = setTimeout(() => { this._pending.delete(id); reject(new RealtimeError('TIMEOUT', `no reply to ${type}/${action} within ${limit} ms`)); }, limit);
      const done = fn => value => { clearTimeout(timer); fn(value); };
      this._pending.set(id, { resolve: done(resolve), reject: done(reject), onReply });
      signal?.addEventListener('abort', () => { if (this._pending.delete(id)) done(reject)(new RealtimeError('ABORTED', 'the request was aborted')); }, { once: true });
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
    if (this._socket?.readyState !== WebSocket.OPEN) throw new RealtimeError('DISCONNECTED', 'not connected');
    this._socket.send(JSON.stringify(frame));
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
    for (const pending of this._pending.values()) pending.reject(error);
    this._pending.clear();
  }

  _listen(kind, handler) {
    this._listeners[kind].add(handler);
    return () => this._listeners[kind].delete(handler);
  }

  _emit(kind, value) {
    for (const handler of this._listeners[kind]) {
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

function joinData(room) {
  return room.epoch === null ? { roomName: room.name } : { roomName: room.name, since: room.lastSeq, epoch: room.epoch };
}
