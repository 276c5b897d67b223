// The meeting connection: Confab's WebSocket protocol (docs/protocol.md) and one RTCPeerConnection per remote
// participant (a mesh), using the "perfect negotiation" pattern. Knows nothing of the DOM: the UI listens to
// its events and calls its methods.
//
// Events (CustomEvent, data in `detail`):
//   welcome {self, meeting, participants}     joined (again, after a reconnect)
//   participant-joined {participant}          participant-left {id}
//   participant-updated {participant}         (media or hand changed)
//   remote-stream {id, stream}                a remote participant's media arrived or changed
//   peer-state {id, state}                    RTCPeerConnection.connectionState of one peer
//   media-failed {id, reason}                 no media path to this peer (yet): still retrying
//   media-connected {id}                      media flows with this peer (again)
//   chat {message}                            mute-request {from}        locked {locked, by}
//   chat-busy {retryAfterMs}                  the server refused chat for now; it is re-sent by itself
//   bans {bans}                               (host) who was removed and may be let back in
//   ended {}                                  the meeting has ended
//   connection-lost {attempt, delayMs}        the socket dropped; reconnecting
//   closed {code, reason}                     for good: removed, replaced, refused, left
//   server-error {code, message, ref}         a message of ours was refused

export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  INVALID_TOKEN: 4401,
  REMOVED: 4403,
  UNKNOWN_MEETING: 4404,
  JOIN_TIMEOUT: 4408,
  REPLACED: 4409,
  ENDED: 4410,
  LOCKED: 4423,
  RATE_LIMITED: 4429,
});

/** Closes after which re-joining cannot help. */
const FINAL_CLOSES = new Set([
  CloseCode.INVALID_TOKEN, CloseCode.REMOVED, CloseCode.UNKNOWN_MEETING, CloseCode.REPLACED,
  CloseCode.ENDED, CloseCode.LOCKED,
]);

// Backoff of socket re-opens; each delay gets ±20 % jitter so a restarted server is not hit by everyone at once.
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000];

/** A peer that is not connected this long after it started (or restarted ICE) is reported as failed. */
const MEDIA_TIMEOUT_MS = 10_000;
/**
 * After a restarted server's welcome, how long a peer that was in the call (and whose media still flows) is
 * kept while it re-joins too: the server's default reconnect grace period.
 */
const RETURN_GRACE_MS = 15_000;
/** `disconnected` often heals by itself (a lost packet burst); restart ICE only if it lasts this long. */
const DISCONNECTED_RESTART_MS = 2_000;
/**
 * A remote end may start its connection with us afresh (a new `sid`) at most this often per minute: a peer that
 * keeps doing so (a bug, or someone hostile) would otherwise make us tear down and rebuild media for ever.
 */
const MAX_PEER_RESTARTS_PER_MINUTE = 5;

/** What an ICE candidate error code means to a person (RFC 8489/8656 codes, 701 is the browser's "no answer"). */
function iceErrorReason(code) {
  if (code === 401 || code === 431) return 'The relay (TURN) server refused our credentials.';
  if (code === 403) return 'The relay (TURN) server refused this address.';
  if (code === 701) return 'The relay (TURN) server did not answer.';
  return null;
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One remote participant: its RTCPeerConnection and negotiation state. The newcomer to a meeting is the
 * initiator towards everyone already there: it adds its tracks at once and offers; the others add theirs when
 * that offer arrives (reusing the offered transceivers), so the first exchange has no glare. Later changes may
 * come from either side: perfect negotiation resolves those.
 */
class Peer {
  constructor(connection, id, { initiator }) {
    this.connection = connection;
    this.id = id;
    // the polite peer yields on offer glare; both sides agree on who that is by comparing ids
    this.polite = connection.self.id < id;
    this.sid = randomId(); // this end's session: a new one tells the other end to start afresh
    this.remoteSid = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.tracksAdded = false;
    this.restarts = 0; // ICE restarts so far
    this.iceError = null; // why relay candidates failed, for the person (see iceErrorReason)
    this.failed = false; // reported as media-failed, not connected since
    this.stream = new MediaStream();
    this.pc = new RTCPeerConnection({ iceServers: connection.iceServers, iceTransportPolicy: connection.iceTransportPolicy });
    this.pc.ontrack = ({ track }) => {
      // a new stream object each time, so a <video> showing it picks up the new set of tracks
      this.stream = new MediaStream([...this.stream.getTracks().filter((t) => t.kind !== track.kind), track]);
      connection.emit('remote-stream', { id, stream: this.stream });
    };
    this.pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        this.send({ description: this.pc.localDescription });
      } catch (e) {
        console.warn('Negotiation with', id, 'failed', String(e));
      } finally {
        this.makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ candidate });
    };
    this.pc.onicecandidateerror = (event) => {
      this.log('candidate error', event.errorCode, event.errorText, event.url);
      this.iceError = iceErrorReason(event.errorCode) ?? this.iceError;
    };
    this.pc.onconnectionstatechange = () => this.onConnectionState();
    this.pc.onsignalingstatechange = () => this.log('signaling', this.pc.signalingState);
    this.log('created, polite', this.polite, 'initiator', initiator);
    this.watch();
    if (initiator) this.offer();
  }

  /** Adds what we send (and receive-only slots for what we lack) and so, through negotiationneeded, offers. */
  offer() {
    if (!this.tracksAdded) this.addLocalTracks();
    // with no camera or microphone we still offer, to receive the others' media
    for (const kind of ['audio', 'video']) {
      if (!this.connection.localTracks().some((t) => t.kind === kind)) this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
  }

  /**
   * Keeps media alive: `disconnected` that lasts, or `failed`, gets an ICE restart (new candidates, same
   * session) through the normal negotiation; a peer not connected in time is reported (and retried).
   */
  onConnectionState() {
    const state = this.pc.connectionState;
    this.log('connection', state);
    clearTimeout(this.disconnectedTimer);
    if (state === 'connected') {
      clearTimeout(this.watchdog);
      if (this.failed) this.connection.emit('media-connected', { id: this.id });
      this.failed = false;
      this.iceError = null;
    } else if (state === 'disconnected') {
      this.disconnectedTimer = setTimeout(() => this.restartIce('disconnected'), DISCONNECTED_RESTART_MS);
    } else if (state === 'failed') {
      this.report();
      this.restartIce('failed');
    }
    this.connection.emit('peer-state', { id: this.id, state });
  }

  /** Starts (again) the time this peer has to connect. */
  watch() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.pc.connectionState === 'connected' || this.pc.connectionState === 'closed') return;
      this.report();
      if (!this.pc.remoteDescription && !this.pc.localDescription) {
        // the offer we waited for never came (the other end may hold a stale connection): offer ourselves
        this.log('no offer came: offering');
        this.offer();
        this.watch();
      } else {
        this.restartIce('timeout');
      }
    }, MEDIA_TIMEOUT_MS);
  }

  report() {
    this.failed = true;
    this.connection.emit('media-failed', { id: this.id, reason: this.iceError });
  }

  restartIce(why) {
    if (this.pc.connectionState === 'closed' || this.pc.connectionState === 'connected') return;
    this.log('ICE restart after', why);
    this.restarts += 1;
    this.pc.restartIce(); // negotiationneeded follows: an offer with new ICE credentials
    this.watch();
  }

  addLocalTracks() {
    this.tracksAdded = true;
    for (const track of this.connection.localTracks()) {
      this.pc.addTrack(track, this.connection.localStream);
    }
  }

  send(data) {
    if (data.description) this.log('send', data.description.type);
    this.connection.send({ type: 'signal', to: this.id, data: { sid: this.sid, ...data } });
  }

  /** Negotiation trace at debug level: what to read when a call does not connect. */
  log(...what) {
    console.debug(`[peer ${this.id.slice(0, 8)} ${this.sid.slice(0, 4)}]`, ...what);
  }

  async receive({ description, candidate }) {
    const pc = this.pc;
    if (description) {
      this.log('receive', description.type, 'in', pc.signalingState, this.makingOffer ? '(making offer)' : '');
      const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        if (!this.tracksAdded) this.addLocalTracks(); // answered with our media: no second round
        await pc.setLocalDescription();
        this.send({ description: pc.localDescription });
      }
    } else if (candidate) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (e) {
        if (!this.ignoreOffer) this.log('candidate refused', String(e));
      }
    }
  }

  /** Sends `track` in place of what this peer gets for its kind: no renegotiation if one is sent already. */
  async replace(kind, track) {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === kind);
    if (sender) {
      await sender.replaceTrack(track);
    } else if (track) {
      this.pc.addTrack(track, this.connection.localStream); // renegotiates, through onnegotiationneeded
    }
  }

  close() {
    clearTimeout(this.watchdog);
    clearTimeout(this.disconnectedTimer);
    clearTimeout(this.absence);
    this.pc.close();
  }

  /** Still carrying media, with no negotiation half done: worth keeping across a re-join. */
  isHealthy() {
    return this.pc.connectionState === 'connected' && this.pc.signalingState === 'stable';
  }
}

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
    this.peers = new Map(); // id -> Peer
    this.socket = null;
    this.attempt = 0;
    this.finished = false;
    this.mediaState = null; // last reported, re-sent after each welcome
    this.pendingChats = new Map(); // clientId -> chat message not yet confirmed by the server, in order
    this.handRaised = false;
    this.bans = []; // host only: removed participants [{id, name, guest, at}]
    this.peerRestarts = new Map(); // id -> times (ms) it started afresh within the last minute
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
    this.send({ type: 'media', audio, video, screen });
  }

  raiseHand(raised) {
    this.handRaised = raised;
    this.send({ type: 'hand', raised });
  }

  host(action, target) {
    this.send({ type: 'host', action, ...(target ? { target } : {}) });
  }

  /** Sends this track (camera, screen, or null) as our video or audio to everyone. */
  async useTrack(kind, track) {
    await Promise.all([...this.peers.values()].map((peer) => peer.replace(kind, track)));
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
    this.socket?.close();
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }

  /** Inbound video/audio counters of one peer (from getStats), for diagnostics and tests. */
  async stats(id) {
    const peer = this.peers.get(id);
    if (!peer) return null;
    const result = {
      framesDecoded: 0,
      frameWidth: 0,
      audioPacketsReceived: 0,
      connectionState: peer.pc.connectionState,
      iceConnectionState: peer.pc.iceConnectionState,
      signalingState: peer.pc.signalingState,
      polite: peer.polite,
      iceRestarts: peer.restarts,
      localCandidateType: null,
      remoteCandidateType: null,
    };
    const report = await peer.pc.getStats();
    report.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = report.get(s.selectedCandidatePairId);
        result.localCandidateType = report.get(pair?.localCandidateId)?.candidateType ?? null;
        result.remoteCandidateType = report.get(pair?.remoteCandidateId)?.candidateType ?? null;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        result.framesDecoded += s.framesDecoded ?? 0;
        result.frameWidth = Math.max(result.frameWidth, s.frameWidth ?? 0);
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') result.audioPacketsReceived += s.packetsReceived ?? 0;
    });
    return result;
  }

  // ---- protocol ----

  onMessage(message) {
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'participant-joined': {
        this.participants.set(message.participant.id, message.participant);
        clearTimeout(this.peers.get(message.participant.id)?.absence); // back after a server restart
        this.peer(message.participant.id, { initiator: false });
        return this.emit('participant-joined', { participant: message.participant });
      }
      case 'participant-left': {
        this.participants.delete(message.id);
        this.peers.get(message.id)?.close();
        this.peers.delete(message.id);
        return this.emit('participant-left', { id: message.id });
      }
      case 'signal': return this.onSignal(message.from, message.data);
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
      case 'error': {
        if (message.code === 'busy' && message.ref === 'chat') return this.onChatBusy(message);
        return this.emit('server-error', message);
      }
      default: return undefined; // a newer server may send more
    }
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
    const again = this.self !== null;
    this.bans = message.bans ?? [];
    this.attempt = 0;
    this.self = message.self;
    this.meeting = message.meeting;
    this.iceServers = message.iceServers ?? [];
    this.iceTransportPolicy = message.iceTransportPolicy === 'relay' ? 'relay' : 'all';
    const previous = this.participants;
    this.participants = new Map(message.participants.map((p) => [p.id, p]));
    // A peer connection that still carries media is kept: media is peer to peer and may well have outlived the
    // socket. Back within the grace period (`resumed`), the others kept theirs with us too. After a server
    // restart (not `resumed`), those not listed are probably re-joining as well: they keep their place for a
    // while, and their `participant-joined` finds the connection still there. But if the others were told we
    // had left (`departed`), they closed theirs. Any peer not kept starts afresh, and its new session id tells
    // the other end to do the same.
    for (const [id, peer] of this.peers) {
      const keep = peer.isHealthy() && !message.departed;
      if (keep && this.participants.has(id)) continue;
      if (keep && !message.resumed && previous.has(id)) {
        this.participants.set(id, previous.get(id));
        this.awaitReturn(id, peer);
        continue;
      }
      peer.close();
      this.peers.delete(id);
    }
    for (const p of message.participants) {
      if (!this.peers.has(p.id)) this.peer(p.id, { initiator: true });
    }
    if (this.mediaState) this.send({ type: 'media', ...this.mediaState });
    if (this.handRaised) this.send({ type: 'hand', raised: true });
    // chat typed while away: what the history shows arrived; the rest goes out now, in order
    for (const m of message.chat ?? []) if (m.from === this.self.id) this.pendingChats.delete(m.clientId);
    for (const pending of this.pendingChats.values()) this.send(pending);
    this.emit('welcome', { self: message.self, meeting: message.meeting, participants: message.participants, chat: message.chat, again });
  }

  /** Keeps a peer missing from a restarted server's room for a while; gone if it does not re-join by then. */
  awaitReturn(id, peer) {
    clearTimeout(peer.absence);
    peer.absence = setTimeout(() => {
      if (this.peers.get(id) !== peer) return;
      peer.close();
      this.peers.delete(id);
      this.participants.delete(id);
      this.emit('participant-left', { id });
    }, RETURN_GRACE_MS);
  }

  peer(id, { initiator = false } = {}) {
    let peer = this.peers.get(id);
    if (!peer) {
      peer = new Peer(this, id, { initiator });
      this.peers.set(id, peer);
    }
    return peer;
  }

  async onSignal(from, data) {
    if (!data || typeof data !== 'object') return;
    // only people in the meeting (or kept while they re-join after a server restart) may start media with us
    if (!this.participants.has(from) && !this.peers.has(from)) {
      console.debug('signal from someone not in the meeting ignored', from);
      return;
    }
    let peer = this.peer(from);
    if (peer.remoteSid !== null && data.sid !== peer.remoteSid) {
      if (!this.mayRestart(from)) {
        peer.log('too many fresh starts from this peer: ignored', data.sid);
        return;
      }
      peer.log('remote session changed', peer.remoteSid, '->', data.sid);
      // the other end started a new session (it re-joined): so do we
      peer.close();
      this.peers.delete(from);
      peer = this.peer(from);
    }
    peer.remoteSid = data.sid;
    try {
      await peer.receive(data);
    } catch (e) {
      console.warn('Signal from', from, 'could not be applied', String(e));
    }
  }

  /** Counts a remote fresh start; false once it has started afresh too often within the last minute. */
  mayRestart(id) {
    const now = Date.now();
    const recent = (this.peerRestarts.get(id) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= MAX_PEER_RESTARTS_PER_MINUTE) {
      this.peerRestarts.set(id, recent);
      return false;
    }
    recent.push(now);
    this.peerRestarts.set(id, recent);
    return true;
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
