// The mesh: one RTCPeerConnection per remote participant, browser to browser, with the "perfect negotiation"
// pattern. Knows nothing of the DOM or of the socket: MeshTransport gets signals from MeetingConnection and hands
// back what to send and what arrived, through the connection it was made with.

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

export function randomId() {
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
      if (!this.connection.active) return;
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
    if (!this.connection.active) return; // on the SFU: this peer's end is expected
    this.failed = true;
    this.connection.emit('media-failed', { id: this.id, reason: this.iceError });
  }

  restartIce(why) {
    if (this.pc.connectionState === 'closed' || this.pc.connectionState === 'connected') return;
    if (!this.connection.active) return; // the meeting moved to the SFU: this peer is only kept until then
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

/**
 * The peers of one meeting on the mesh. `conn` is the MeetingConnection: self, ICE servers, local stream,
 * send(message), emit(type, detail). While `active` is false (the meeting is on the SFU) it makes no new peers
 * and revives none: the ones still carrying media stay until the SFU's media has taken their place.
 */
export class MeshTransport {
  constructor(conn) {
    this.conn = conn;
    this.active = true;
    this.peers = new Map(); // id -> Peer
    this.peerRestarts = new Map(); // id -> times (ms) it started afresh within the last minute
  }

  get self() { return this.conn.self; }
  get iceServers() { return this.conn.iceServers; }
  get iceTransportPolicy() { return this.conn.iceTransportPolicy; }
  get localStream() { return this.conn.localStream; }
  localTracks() { return this.conn.meshTracks(); }
  send(message) { return this.conn.send(message); }
  emit(type, detail) {
    if (type === 'remote-stream') this.conn.onTransportStream(this, detail.id, detail.stream);
    else this.conn.emit(type, detail);
  }

  peer(id, { initiator = false } = {}) {
    let peer = this.peers.get(id);
    if (!peer) {
      peer = new Peer(this, id, { initiator });
      this.peers.set(id, peer);
    }
    return peer;
  }

  closePeer(id) {
    this.peers.get(id)?.close();
    this.peers.delete(id);
  }

  /**
   * After a welcome: a peer connection that still carries media is kept (media is peer to peer and may well have
   * outlived the socket). Back within the grace period (`resumed`), the others kept theirs with us too. After a
   * server restart (not `resumed`), those not listed are probably re-joining as well: they keep their place for a
   * while, and their `participant-joined` finds the connection still there. But if the others were told we had
   * left (`departed`), they closed theirs. Any peer not kept starts afresh, and its new session id tells the other
   * end to do the same. Returns the ids kept while they re-join.
   */
  welcome(message, participants, previous) {
    const awaiting = [];
    for (const [id, peer] of this.peers) {
      const keep = peer.isHealthy() && !message.departed;
      if (keep && participants.has(id)) continue;
      if (keep && !message.resumed && previous.has(id)) {
        awaiting.push(id);
        this.awaitReturn(id, peer);
        continue;
      }
      this.closePeer(id);
    }
    if (this.active) {
      for (const p of message.participants) {
        if (!this.peers.has(p.id)) this.peer(p.id, { initiator: true });
      }
    }
    return awaiting;
  }

  /** Someone joined: the newcomer offers, we answer (and a peer kept across a server restart is back). */
  joined(id) {
    clearTimeout(this.peers.get(id)?.absence);
    if (this.active) this.peer(id, { initiator: false });
  }

  left(id) {
    this.closePeer(id);
  }

  /** The meeting returns to the mesh: a peer with everyone; of each pair the impolite end offers (no glare). */
  connectAll(ids) {
    this.active = true;
    for (const id of ids) {
      if (!this.peers.has(id)) this.peer(id, { initiator: this.conn.self.id > id });
    }
  }

  /** Keeps a peer missing from a restarted server's room for a while; gone if it does not re-join by then. */
  awaitReturn(id, peer) {
    clearTimeout(peer.absence);
    peer.absence = setTimeout(() => {
      if (this.peers.get(id) !== peer) return;
      this.closePeer(id);
      this.conn.forget(id);
    }, RETURN_GRACE_MS);
  }

  async signal(from, data, isParticipant) {
    if (!data || typeof data !== 'object') return;
    // only people in the meeting (or kept while they re-join after a server restart) may start media with us
    if (!isParticipant && !this.peers.has(from)) {
      console.debug('signal from someone not in the meeting ignored', from);
      return;
    }
    if (!this.active && !this.peers.has(from)) return; // on the SFU: no new mesh connections
    let peer = this.peer(from);
    if (peer.remoteSid !== null && data.sid !== peer.remoteSid) {
      if (!this.mayRestart(from)) {
        peer.log('too many fresh starts from this peer: ignored', data.sid);
        return;
      }
      peer.log('remote session changed', peer.remoteSid, '->', data.sid);
      // the other end started a new session (it re-joined): so do we
      this.closePeer(from);
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

  async useTrack(kind, track) {
    await Promise.all([...this.peers.values()].map((peer) => peer.replace(kind, track)));
  }

  /** The latest level (0..1) of `id`'s microphone as its peer connection receives it (RTP's audio-level header). */
  audioLevel(id) {
    const receiver = this.peers.get(id)?.pc.getReceivers().find((r) => r.track?.kind === 'audio');
    return receiver?.getSynchronizationSources()[0]?.audioLevel ?? 0;
  }

  connectionCount() {
    return [...this.peers.values()].filter((p) => p.pc.connectionState !== 'closed').length;
  }

  /** Inbound video/audio counters of one peer (from getStats). */
  async stats(id) {
    const peer = this.peers.get(id);
    if (!peer) return null;
    const result = await inboundStats(peer.pc, () => true);
    return { ...result, via: 'mesh', polite: peer.polite, iceRestarts: peer.restarts };
  }

  close() {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }
}

/**
 * Inbound counters of `pc`'s streams that `wanted(stat)` picks, and its selected candidate pair: what tests and
 * diagnostics read.
 */
export async function inboundStats(pc, wanted) {
  const result = {
    framesDecoded: 0,
    frameWidth: 0,
    audioPacketsReceived: 0,
    connectionState: pc.connectionState,
    iceConnectionState: pc.iceConnectionState,
    signalingState: pc.signalingState,
    localCandidateType: null,
    remoteCandidateType: null,
    remotePort: null,
    packetsReceived: 0, // audio and video, for the loss rate
    packetsLost: 0,
    framesPerSecond: 0,
    roundTripTimeMs: null,
  };
  const report = await pc.getStats();
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      const pair = report.get(s.selectedCandidatePairId);
      result.localCandidateType = report.get(pair?.localCandidateId)?.candidateType ?? null;
      const remote = report.get(pair?.remoteCandidateId);
      result.remoteCandidateType = remote?.candidateType ?? null;
      result.remotePort = remote?.port ?? null;
      if (typeof pair?.currentRoundTripTime === 'number') result.roundTripTimeMs = Math.round(pair.currentRoundTripTime * 1000);
    }
    if (s.type === 'inbound-rtp' && wanted(s)) {
      result.packetsReceived += s.packetsReceived ?? 0;
      result.packetsLost += Math.max(0, s.packetsLost ?? 0);
      if (s.kind === 'video') {
        result.framesDecoded += s.framesDecoded ?? 0;
        result.frameWidth = Math.max(result.frameWidth, s.frameWidth ?? 0);
        result.framesPerSecond = Math.max(result.framesPerSecond, s.framesPerSecond ?? 0);
      }
      if (s.kind === 'audio') result.audioPacketsReceived += s.packetsReceived ?? 0;
    }
  });
  return result;
}
