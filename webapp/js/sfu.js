// Media through the SFU: one connection that sends our camera and microphone up (simulcast: three layers of
// video), and one that receives everyone else's streams down, both negotiated with the SFU through Confab's
// meeting socket (the browser never talks to the SFU's API; only media flows between them). Knows nothing of
// the DOM: what arrives goes back through the MeetingConnection it was made with.
import { inboundStats, randomId } from './mesh.js';

/** Simulcast layers, lowest first (the SFU's substreams 0, 1, 2). */
const SIMULCAST = [
  { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/**
 * The layers worth sending for a camera of `height` pixels: three from 540p up, two from 360p, else one. Below
 * that Chromium sends only the lowest encoding anyway, which would be a quarter of a small camera's size.
 */
export function simulcastLayers(height) {
  if (height >= 540) return SIMULCAST;
  if (height >= 360) return [{ ...SIMULCAST[0], scaleResolutionDownBy: 2 }, SIMULCAST[2]];
  return null;
}

export class SfuTransport {
  /** @param conn the MeetingConnection: self, iceServers, iceTransportPolicy, localStream, send, emit */
  constructor(conn, { simulcast = true } = {}) {
    this.conn = conn;
    this.simulcast = simulcast;
    this.session = randomId(); // our connections with the SFU: a new id replaces the old ones there
    this.up = null; // RTCPeerConnection sending our media
    this.down = null; // RTCPeerConnection receiving everyone's
    this.streamsByMid = new Map(); // mid -> {participant, kind}
    this.remote = new Map(); // participant id -> MediaStream
    this.closed = false;
  }

  log(...what) {
    console.debug('[sfu]', ...what);
  }

  /** Publishes what we send (if anything) and asks for everyone else's media. */
  async start() {
    const tracks = this.conn.localTracks();
    if (tracks.length) {
      this.up = this.connection('publish');
      for (const track of tracks) {
        const init = { direction: 'sendonly', streams: [this.conn.localStream] };
        const layers = track.kind === 'video' && this.simulcast ? simulcastLayers(track.getSettings().height ?? 0) : null;
        if (layers) init.sendEncodings = layers.map((e) => ({ ...e }));
        this.up.addTransceiver(track, init);
      }
      await this.up.setLocalDescription();
      if (this.closed) return;
      this.conn.send({ type: 'sfu-publish', session: this.session, sdp: this.up.localDescription.sdp });
    }
    this.conn.send({ type: 'sfu-subscribe', session: this.session });
  }

  connection(direction) {
    const pc = new RTCPeerConnection({ iceServers: this.conn.iceServers, iceTransportPolicy: this.conn.iceTransportPolicy });
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) this.conn.send({ type: 'sfu-candidate', direction, candidate: candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      this.log(direction, pc.connectionState);
      if (direction === 'subscribe') this.conn.emit('sfu-state', { state: pc.connectionState });
    };
    return pc;
  }

  /** The SFU's answer to our publishing offer. */
  async published(sdp) {
    if (!this.up || this.closed) return;
    await this.up.setRemoteDescription({ type: 'answer', sdp });
  }

  /** A (new) offer for what we receive, with whose stream each mid carries: answered at once. */
  async offered(sdp, streams) {
    if (this.closed) return;
    this.streamsByMid = new Map(streams.map((s) => [s.mid, { participant: s.participant, kind: s.kind }]));
    if (!this.down) {
      this.down = this.connection('subscribe');
      this.down.ontrack = ({ track, transceiver }) => this.received(track, transceiver.mid);
    }
    await this.down.setRemoteDescription({ type: 'offer', sdp });
    await this.down.setLocalDescription();
    if (this.closed) return;
    this.conn.send({ type: 'sfu-answer', sdp: this.down.localDescription.sdp });
    if (this.plan) this.applyPlan(this.plan, { all: true }); // newcomers' streams start at the SFU's defaults
    // a mid reused for someone else, or gone: re-file each receiver's track under its current owner
    for (const transceiver of this.down.getTransceivers()) {
      if (transceiver.receiver.track && transceiver.mid) this.received(transceiver.receiver.track, transceiver.mid);
    }
  }

  received(track, mid) {
    const owner = this.streamsByMid.get(mid);
    if (!owner) return;
    const { participant } = owner;
    const current = this.remote.get(participant);
    if (current?.getTracks().includes(track)) return;
    // a new stream object each time, so a <video> showing it picks up the new set of tracks
    const stream = new MediaStream([...(current?.getTracks() ?? []).filter((t) => t.kind !== track.kind), track]);
    this.remote.set(participant, stream);
    this.conn.onTransportStream(this, participant, stream);
  }

  /** Whether media from `id` reaches us through the SFU now. */
  connected(id) {
    const stream = this.remote.get(id);
    return this.down?.connectionState === 'connected' && !!stream?.getTracks().some((t) => !t.muted);
  }

  /**
   * Asks the SFU for each participant's video in the layer given ('off', 'low', 'medium', 'high'); only the
   * changes are sent, unless `all` (a new subscription starts with the SFU's defaults: everything, top layer).
   */
  applyPlan(layers, { all = false } = {}) {
    this.plan = layers;
    this.sentPlan = all || !this.sentPlan ? new Map() : this.sentPlan;
    const receiving = new Set([...this.streamsByMid.values()].map((o) => o.participant));
    for (const [id, layer] of layers) {
      if (!receiving.has(id) || this.sentPlan.get(id) === layer) continue;
      this.sentPlan.set(id, layer);
      this.conn.send({ type: 'sfu-layer', from: id, layer });
    }
  }

  /** Packets received so far on the streams (of `kind`, or all) the SFU said were `id`'s (diagnostics, tests). */
  async packetsFrom(id, kind = null) {
    if (!this.down) return 0;
    const mids = new Set([...this.streamsByMid].filter(([, o]) => o.participant === id && (!kind || o.kind === kind))
      .map(([mid]) => mid));
    let packets = 0;
    (await this.down.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && mids.has(s.mid)) packets += s.packetsReceived ?? 0;
    });
    return packets;
  }

  left(id) {
    this.remote.delete(id);
  }

  async useTrack(kind, track) {
    const sender = this.up?.getSenders().find((s) => s.track?.kind === kind || (!s.track && this.kindOf(s) === kind));
    if (sender) await sender.replaceTrack(track);
  }

  kindOf(sender) {
    return this.up.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
  }

  connectionCount() {
    return [this.up, this.down].filter((pc) => pc && pc.connectionState !== 'closed').length;
  }

  async stats(id) {
    if (!this.down) return null;
    const mids = new Set([...this.streamsByMid].filter(([, o]) => o.participant === id).map(([mid]) => mid));
    const result = await inboundStats(this.down, (s) => mids.has(s.mid));
    return { ...result, via: 'sfu' };
  }

  close() {
    this.closed = true;
    this.up?.close();
    this.down?.close();
    this.remote.clear();
  }
}
