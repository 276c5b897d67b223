// The meeting connection: Confab's WebSocket protocol (docs/protocol.md), the participants, chat, and the media
// transport the server chose: the mesh (mesh.js, browser to browser) or the SFU (sfu.js). It moves between them
// make-before-break: a participant's tile keeps the old transport's stream until the new one's plays. Knows
// nothing of the DOM: the UI listens to its events and calls its methods.
//
// Events (CustomEvent, data in `detail`):
//   welcome {self, meeting, participants}     joined (again, after a reconnect)
//   participant-joined {participant}          participant-left {id}
//   participant-updated {participant}         (media or hand changed)
//   remote-stream {id, stream}                a remote participant's media arrived or changed
//   media-mode {mode, reason}                 the meeting's media moves to 'mesh' or 'sfu'
//   media-warning {code, message}             (host) e.g. the SFU is unreachable: video may suffer
//   peer-state {id, state}                    RTCPeerConnection.connectionState of one peer
//   media-failed {id, reason}                 no media path to this peer (yet): still retrying
//   media-connected {id}                      media flows with this peer (again)
//   chat {message}                            mute-request {from}        locked {locked, by}
//   chat-busy {retryAfterMs}                  the server refused chat for now; it is re-sent by itself
//   bans {bans}                               (host, co-host) who was removed and may be let back in
//   waiting {self, meeting}                   the lobby holds us until a host lets us in (then: welcome)
//   knocking {waiting}                        (host, co-host) who waits in the lobby now
//   lobby {lobby, by}                         the lobby was turned on or off
//   role {id, cohost}                         someone (maybe we) became or stopped being a co-host
//   reaction {id, emoji}                      someone (maybe we) reacted
//   ended {}                                  the meeting has ended
//   connection-lost {attempt, delayMs}        the socket dropped; reconnecting
//   closed {code, reason}                     for good: removed, replaced, refused, left
//   server-error {code, message, ref}         a message of ours was refused

import { MeshTransport, randomId } from './mesh.js';
import { SfuTransport } from './sfu.js';

export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  INVALID_TOKEN: 4401,
  REMOVED: 4403,
  UNKNOWN_MEETING: 4404,
  DENIED: 4405,
  SIGNED_OUT: 4406,
  SIGN_IN_REQUIRED: 4407,
  JOIN_TIMEOUT: 4408,
  REPLACED: 4409,
  ENDED: 4410,
  LOCKED: 4423,
  RATE_LIMITED: 4429,
});

/** Closes after which re-joining cannot help. */
const FINAL_CLOSES = new Set([
  CloseCode.INVALID_TOKEN, CloseCode.REMOVED, CloseCode.UNKNOWN_MEETING, CloseCode.DENIED, CloseCode.REPLACED,
  CloseCode.ENDED, CloseCode.LOCKED, CloseCode.SIGNED_OUT, CloseCode.SIGN_IN_REQUIRED,
]);

// Backoff of socket re-opens; each delay gets ±20 % jitter so a restarted server is not hit by everyone at once.
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000];
/** After a switch, how long the old transport may carry media while the new one comes up. */
const SWITCH_TIMEOUT_MS = 15_000;
/** Once the new transport's media plays for someone, the old one's connection with them stays this long. */
const OVERLAP_MS = 1_500;

export class MeetingConnection extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.code  meeting code
   * @param {string} options.token participant token (from POST /api/v1/meetings/{code}/participants)
   * @param {MediaStream} options.localStream what we send (may have no tracks: listen-only)
   */
  constructor({ code, token, localStream }) {
    super();
    this.code = code;
    this.token = token;
    this.localStream = localStream ?? new MediaStream();
    this.self = null;
    this.meeting = null;
    this.iceServers = [];
    this.iceTransportPolicy = 'all';
    this.participants = new Map(); // id -> {id, name, host, audio, video, screen, hand}
    this.mode = 'mesh';
    this.screenTrack = null; // the screen we share, if any
    this.mesh = new MeshTransport(this);
    this.sfu = null; // SfuTransport while the meeting is (or was until lately) on the SFU
    this.shown = new Map(); // participant id -> {via: transport, stream} the UI shows
    this.pending = new Map(); // participant id -> the current transport's stream, waiting to play
    this.socket = null;
    this.attempt = 0;
    this.finished = false;
    this.mediaState = null; // last reported, re-sent after each welcome
    this.pendingChats = new Map(); // clientId -> chat message not yet confirmed by the server, in order
    this.handRaised = false;
    this.bans = []; // host only: removed participants [{id, name, guest, at}]
    this.waiting = []; // hosts and co-hosts: who waits in the lobby [{id, name, guest, since}]
    this.inLobby = false; // we wait in the lobby
  }

  /** The host or a co-host: may mute, remove, lock and run the lobby. */
  get moderator() {
    return Boolean(this.self?.host || this.self?.cohost);
  }

  /** The mesh's peers (diagnostics and tests). */
  get peers() {
    return this.mesh.peers;
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  localTracks() {
    return this.localStream.getTracks();
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws/meetings/${encodeURIComponent(this.code)}`);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'join', token: this.token }));
    socket.onmessage = (event) => this.onMessage(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (socket === this.socket) this.onClose(event);
    };
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  // ---- what the UI can do ----

  /**
   * Sends a chat message, or queues it while the socket is down. It is re-sent after each re-join until the
   * server confirms it (echo or history); its client id lets the server store and deliver it only once.
   * Returns true if it went out now, false if it waits for the connection.
   */
  chat(text, to) {
    const message = { type: 'chat', text, ...(to ? { to } : {}), clientId: randomId() };
    this.pendingChats.set(message.clientId, message);
    return this.send(message);
  }

  /** Tells the others our media state, and remembers it to tell them again after each (re-)join. */
  reportMedia({ audio, video, screen }) {
    this.mediaState = { audio, video, screen };
    if (this.joined()) this.send({ type: 'media', audio, video, screen });
  }

  raiseHand(raised) {
    this.handRaised = raised;
    if (this.joined()) this.send({ type: 'hand', raised });
  }

  /** An emoji that floats over our tile for everyone (the server allows a few a second). */
  react(emoji) {
    return this.joined() && this.send({ type: 'reaction', emoji });
  }

  /** In the room (not in the lobby, not before the first welcome). */
  joined() {
    return this.self !== null && !this.inLobby;
  }

  host(action, target) {
    this.send({ type: 'host', action, ...(target ? { target } : {}) });
  }

  /** Sends this track (camera, or null) as our video or audio to everyone. */
  async useTrack(kind, track) {
    await Promise.all([this.mesh.useTrack(kind, track), this.sfu?.useTrack(kind, track)]);
  }

  /**
   * Shares a screen: on the mesh it takes the camera's place in each peer connection (no renegotiation); on the
   * SFU it is a stream of its own (the camera keeps going), which the others receive at the top layer.
   */
  async shareScreen(track) {
    this.screenTrack = track;
    await Promise.all([this.mesh.useTrack('video', track), this.sfu?.share(track)]);
  }

  async stopScreen() {
    this.screenTrack = null;
    this.sfu?.unshare();
    await this.mesh.useTrack('video', this.localStream.getVideoTracks()[0] ?? null);
  }

  /** What the mesh sends: our microphone, and our screen in the camera's place while we share one. */
  meshTracks() {
    const audio = this.localStream.getAudioTracks();
    const video = this.screenTrack ?? this.localStream.getVideoTracks()[0];
    return [...audio, ...(video ? [video] : [])];
  }

  /**
   * Which videos to receive and in what layer (id -> 'off' | 'low' | 'medium' | 'high', see videoplan.js). Applies
   * on the SFU; on the mesh every peer sends everything.
   */
  setVideoPlan(layers) {
    this.videoPlan = layers;
    this.sfu?.applyPlan(layers);
  }

  /** The stream shown for a remote participant, if any. */
  remoteStream(id) {
    return this.shown.get(id)?.stream ?? null;
  }

  /** A remote participant's microphone level (0..1) from the transport that carries it, or 0. */
  audioLevel(id) {
    const via = this.shown.get(id)?.via ?? this.current();
    return via?.audioLevel(id) ?? 0;
  }

  /** Open RTCPeerConnections of this page: the mesh's and the SFU's. */
  connectionCount() {
    return this.mesh.connectionCount() + (this.sfu?.connectionCount() ?? 0);
  }

  leave() {
    this.send({ type: 'leave' });
    this.finish();
  }

  /** Stops everything; no reconnect. */
  finish() {
    this.finished = true;
    this.pendingChats.clear();
    clearTimeout(this.retry);
    clearTimeout(this.chatRetry);
    clearTimeout(this.switchTimer);
    this.socket?.close();
    this.mesh.close();
    this.sfu?.close();
    this.sfu = null;
  }

  /** Inbound video/audio counters of one participant (from getStats), through the transport shown for it. */
  async stats(id) {
    const via = this.shown.get(id)?.via ?? (this.mode === 'sfu' ? this.sfu : this.mesh);
    return via ? via.stats(id) : null;
  }

  // ---- transports ----

  /** The transport of the meeting's current mode. */
  current() {
    return this.mode === 'sfu' ? this.sfu : this.mesh;
  }

  /**
   * A transport has (new) media from `id`. The UI gets it if it is the current mode's, once it plays; until then
   * it keeps what it shows. When the current transport takes over someone, the old one's connection with them is
   * closed a little later.
   */
  onTransportStream(via, id, stream) {
    const shown = this.shown.get(id);
    if (via !== this.current()) {
      if (!shown || shown.via === via) this.show(id, via, stream); // the old transport, until the new one plays
      return;
    }
    // more than one stream may come before the first one plays (audio, then video): the latest is taken
    this.pending.set(id, stream);
    const takeOver = () => {
      if (this.current() !== via || via.closed || this.pending.get(id) !== stream) return;
      this.pending.delete(id);
      const before = this.shown.get(id)?.via;
      this.show(id, via, stream);
      if (before && before !== via) setTimeout(() => this.retire(before, id), OVERLAP_MS);
    };
    if (!shown || shown.via === via) {
      takeOver();
    } else {
      this.whenDecoding(via, id, takeOver);
    }
  }

  /**
   * Calls `then` once `via` has decoded video from `id` (a first packet is not enough: the picture waits for a
   * key frame), or after 10 s at the latest (someone without a camera: the old transport's audio plays meanwhile).
   */
  whenDecoding(via, id, then) {
    const started = Date.now();
    const check = async () => {
      if (via.closed || this.finished) return;
      const stats = await via.stats(id).catch(() => null);
      if ((stats?.framesDecoded ?? 0) > 0 || Date.now() - started > 10_000) then();
      else setTimeout(check, 100);
    };
    check();
  }

  show(id, via, stream) {
    this.shown.set(id, { via, stream });
    this.emit('remote-stream', { id, stream });
  }

  /** The old transport no longer carries `id`'s media for us. */
  retire(via, id) {
    if (via === this.mesh && this.mode === 'sfu') this.mesh.closePeer(id);
    if (via === this.sfu && this.mode === 'mesh' && this.sfu) {
      const everyone = [...this.participants.keys()].every((p) => this.shown.get(p)?.via === this.mesh);
      if (everyone) this.closeSfu();
    }
  }

  closeSfu() {
    clearTimeout(this.switchTimer);
    this.sfu?.close();
    this.sfu = null;
  }

  /** Moves the meeting's media to `mode` ('mesh' or 'sfu'), make-before-break. */
  useMode(mode, { fresh = false } = {}) {
    const before = this.mode;
    this.mode = mode;
    clearTimeout(this.switchTimer);
    if (mode === 'sfu') {
      this.mesh.active = false;
      if (!this.sfu || fresh) {
        this.sfu?.close();
        this.sfu = new SfuTransport(this);
        if (this.videoPlan) this.sfu.plan = this.videoPlan;
        this.sfu.start().catch((e) => console.warn('Publishing to the SFU failed', String(e)));
      }
      // mesh peers the SFU has not replaced by then go anyway: they would weigh on everyone for ever
      this.switchTimer = setTimeout(() => this.mesh.close(), SWITCH_TIMEOUT_MS);
    } else {
      this.mesh.connectAll([...this.participants.keys()]);
      if (this.sfu) this.switchTimer = setTimeout(() => this.closeSfu(), SWITCH_TIMEOUT_MS);
    }
    if (before !== mode) this.emit('media-mode', { mode });
  }

  // ---- protocol ----

  onMessage(message) {
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'participant-joined': {
        this.participants.set(message.participant.id, message.participant);
        if (this.mode === 'mesh') this.mesh.joined(message.participant.id);
        return this.emit('participant-joined', { participant: message.participant });
      }
      case 'participant-left': return this.forget(message.id);
      case 'signal': return this.mesh.signal(message.from, message.data, this.participants.has(message.from));
      case 'media-mode': {
        this.useMode(message.mode === 'sfu' ? 'sfu' : 'mesh');
        return undefined;
      }
      case 'media-warning': return this.emit('media-warning', { code: message.code, message: message.message });
      case 'sfu-published': return this.sfu?.published(message.source ?? 'camera', message.sdp).catch((e) => console.warn('SFU answer refused', String(e)));
      case 'sfu-offer': return this.sfu?.offered(message.sdp, message.streams ?? []).catch((e) => console.warn('SFU offer refused', String(e)));
      case 'sfu-reset': {
        if (this.mode === 'sfu') this.useMode('sfu', { fresh: true });
        return undefined;
      }
      case 'chat': {
        if (message.from === this.self?.id) this.pendingChats.delete(message.clientId);
        return this.emit('chat', { message });
      }
      case 'media':
      case 'hand': {
        const participant = this.participants.get(message.id);
        if (!participant) return undefined;
        if (message.type === 'media') Object.assign(participant, { audio: message.audio, video: message.video, screen: message.screen });
        else participant.hand = message.raised;
        return this.emit('participant-updated', { participant });
      }
      case 'mute-request': return this.emit('mute-request', { from: message.from });
      case 'locked': {
        if (this.meeting) this.meeting.locked = message.locked;
        return this.emit('locked', { locked: message.locked, by: message.by });
      }
      case 'meeting-ended': {
        this.finished = true;
        return this.emit('ended');
      }
      case 'bans': {
        this.bans = message.bans;
        return this.emit('bans', { bans: message.bans });
      }
      case 'waiting': {
        this.inLobby = true;
        this.attempt = 0;
        this.meeting = message.meeting;
        return this.emit('waiting', { self: message.self, meeting: message.meeting });
      }
      case 'knocking': {
        const before = new Set(this.waiting.map((w) => w.id));
        this.waiting = message.waiting;
        const newcomers = message.waiting.filter((w) => !before.has(w.id));
        return this.emit('knocking', { waiting: message.waiting, newcomers });
      }
      case 'lobby': {
        if (this.meeting) this.meeting.lobby = message.lobby;
        return this.emit('lobby', { lobby: message.lobby, by: message.by });
      }
      case 'role': {
        if (message.id === this.self?.id) Object.assign(this.self, { cohost: message.cohost });
        const participant = this.participants.get(message.id);
        if (participant) participant.cohost = message.cohost;
        if (message.id === this.self?.id && !message.cohost) this.waiting = [];
        return this.emit('role', { id: message.id, cohost: message.cohost, self: message.id === this.self?.id });
      }
      case 'reaction': return this.emit('reaction', { id: message.id, emoji: message.emoji });
      case 'error': {
        if (message.code === 'busy' && message.ref === 'chat') return this.onChatBusy(message);
        return this.emit('server-error', message);
      }
      default: return undefined; // a newer server may send more
    }
  }

  /** Someone left (or did not come back after a server restart): its media and tile go. */
  forget(id) {
    this.participants.delete(id);
    this.mesh.left(id);
    this.sfu?.left(id);
    this.shown.delete(id);
    this.emit('participant-left', { id });
  }

  /**
   * Chat refused while the server is overloaded: the messages stay pending and all go out again, in order, after
   * the hint (those the server did take are recognised by their client ids and not delivered twice).
   */
  onChatBusy(message) {
    const retryAfterMs = Math.max(250, message.retryAfterMs ?? 1000);
    clearTimeout(this.chatRetry);
    this.chatRetry = setTimeout(() => {
      for (const pending of this.pendingChats.values()) this.send(pending);
    }, retryAfterMs);
    this.emit('chat-busy', { retryAfterMs });
  }

  onWelcome(message) {
    const again = this.self !== null && !this.inLobby;
    this.inLobby = false;
    this.bans = message.bans ?? [];
    this.waiting = message.waiting ?? [];
    this.attempt = 0;
    this.self = message.self;
    this.meeting = message.meeting;
    this.iceServers = message.iceServers ?? [];
    this.iceTransportPolicy = message.iceTransportPolicy === 'relay' ? 'relay' : 'all';
    const previous = this.participants;
    this.participants = new Map(message.participants.map((p) => [p.id, p]));
    const mode = message.mediaMode === 'sfu' ? 'sfu' : 'mesh';
    this.mesh.active = mode === 'mesh';
    for (const id of this.mesh.welcome(message, this.participants, previous)) this.participants.set(id, previous.get(id));
    // our SFU connections outlive a socket that came back in time (`resumed`); otherwise the SFU dropped them
    this.useMode(mode, { fresh: !message.resumed });
    if (this.mediaState) this.send({ type: 'media', ...this.mediaState });
    if (this.handRaised) this.send({ type: 'hand', raised: true });
    // chat typed while away: what the history shows arrived; the rest goes out now, in order
    for (const m of message.chat ?? []) if (m.from === this.self.id) this.pendingChats.delete(m.clientId);
    for (const pending of this.pendingChats.values()) this.send(pending);
    this.emit('welcome', { self: message.self, meeting: message.meeting, participants: message.participants, chat: message.chat, again });
  }

  onClose(event) {
    if (this.finished) {
      this.emit('closed', { code: event.code, reason: event.reason });
      return;
    }
    if (FINAL_CLOSES.has(event.code)) {
      this.finish();
      this.emit('closed', { code: event.code, reason: event.reason });
      return;
    }
    const base = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
    const delayMs = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.attempt += 1;
    this.emit('connection-lost', { attempt: this.attempt, delayMs });
    this.retry = setTimeout(() => this.connect(), delayMs);
  }
}
