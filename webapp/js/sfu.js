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
    this.up = null; // RTCPeerConnection sending our camera and microphone
    this.screen = null; // RTCPeerConnection sending our screen, while we share it
    this.down = null; // RTCPeerConnection receiving everyone's
    this.streamsByMid = new Map(); // mid -> {participant, kind, source}
    this.remote = new Map(); // participant id -> {camera: MediaStream, screen: MediaStream|null}
    this.shown = new Map(); // participant id -> the stream handed to the connection (screen if shared, else camera)
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
      this.conn.send({ type: 'sfu-publish', source: 'camera', session: this.session, sdp: this.up.localDescription.sdp });
    }
    this.conn.send({ type: 'sfu-subscribe', session: this.session });
    if (this.conn.screenTrack) await this.share(this.conn.screenTrack);
  }

  /** Shares `track` as a stream of its own (the camera keeps going): the others see it in our tile, top layer. */
  async share(track) {
    this.unshare({ tell: false });
    const pc = this.connection('screen');
    this.screen = pc;
    pc.addTransceiver(track, { direction: 'sendonly' });
    await pc.setLocalDescription();
    if (this.closed || this.screen !== pc) return;
    this.conn.send({ type: 'sfu-publish', source: 'screen', session: `${this.session}-s`, sdp: pc.localDescription.sdp });
  }

  unshare({ tell = true } = {}) {
    if (!this.screen) return;
    this.screen.close();
    this.screen = null;
    if (tell) this.conn.send({ type: 'sfu-unpublish', source: 'screen' });
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

  /** The SFU's answer to one of our publishing offers. */
  async published(source, sdp) {
    const pc = source === 'screen' ? this.screen : this.up;
    if (!pc || this.closed || pc.signalingState !== 'have-local-offer') return;
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** A (new) offer for what we receive, with whose stream each mid carries: answered at once. */
  async offered(sdp, streams) {
    if (this.closed) return;
    this.streamsByMid = new Map(streams.map((s) => [s.mid, { participant: s.participant, kind: s.kind, source: s.source ?? 'camera' }]));
    if (!this.down) {
      this.down = this.connection('subscribe');
      this.down.ontrack = ({ track, transceiver }) => this.received(track, transceiver.mid);
    }
    await this.down.setRemoteDescription({ type: 'offer', sdp });
    await this.down.setLocalDescription();
    if (this.closed) return;
    this.conn.send({ type: 'sfu-answer', sdp: this.down.localDescription.sdp });
    if (this.plan) this.applyPlan(this.plan, { all: true }); // newcomers' streams start at the SFU's defaults
    // a mid reused for someone else, or gone (a screen share ended): file every receiver's track anew
    const tracks = new Map(); // participant -> {camera: [tracks], screen: [tracks]}
    for (const transceiver of this.down.getTransceivers()) {
      const owner = transceiver.mid && this.streamsByMid.get(transceiver.mid);
      if (!owner || !transceiver.receiver.track || transceiver.currentDirection === 'inactive') continue;
      const mine = tracks.get(owner.participant) ?? { camera: [], screen: [] };
      mine[owner.source === 'screen' ? 'screen' : 'camera'].push(transceiver.receiver.track);
      tracks.set(owner.participant, mine);
    }
    for (const [participant, mine] of tracks) this.file(participant, mine);
    for (const participant of [...this.remote.keys()]) if (!tracks.has(participant)) this.remote.delete(participant);
  }

  received(track, mid) {
    const owner = this.streamsByMid.get(mid);
    if (!owner) return;
    const current = this.remote.get(owner.participant) ?? { camera: null, screen: null };
    const key = owner.source === 'screen' ? 'screen' : 'camera';
    const tracks = (current[key]?.getTracks() ?? []).filter((t) => t.kind !== track.kind);
    this.file(owner.participant, { ...this.tracksOf(current), [key]: [...tracks, track] });
  }

  tracksOf(streams) {
    return { camera: streams.camera?.getTracks() ?? [], screen: streams.screen?.getTracks() ?? [] };
  }

  /**
   * Keeps a participant's camera and screen streams, and hands the connection the one to show: the screen (with
   * the camera's audio) while it shares one, else the camera. A new stream object whenever its tracks change, so
   * a <video> showing it picks up the new set.
   */
  file(participant, { camera, screen }) {
    const same = (stream, tracks) => stream && stream.getTracks().length === tracks.length
      && tracks.every((t) => stream.getTracks().includes(t));
    const current = this.remote.get(participant) ?? { camera: null, screen: null };
    const next = {
      camera: same(current.camera, camera) ? current.camera : new MediaStream(camera),
      screen: screen.length ? (same(current.screen, screen) ? current.screen : new MediaStream(screen)) : null,
    };
    this.remote.set(participant, next);
    let show = next.camera;
    if (next.screen) {
      const audio = camera.filter((t) => t.kind === 'audio');
      const shown = this.shown.get(participant);
      const wanted = [...next.screen.getVideoTracks(), ...audio];
      show = same(shown, wanted) ? shown : new MediaStream(wanted);
    }
    if (this.shown.get(participant) === show) return;
    this.shown.set(participant, show);
    this.conn.onTransportStream(this, participant, show);
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

  /** The latest level (0..1) of `id`'s microphone as the SFU forwards it (RTP's audio-level header). */
  audioLevel(id) {
    const transceiver = this.down?.getTransceivers().find((t) => t.mid && t.receiver.track?.kind === 'audio'
      && this.streamsByMid.get(t.mid)?.participant === id);
    return transceiver?.receiver.getSynchronizationSources()[0]?.audioLevel ?? 0;
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
    this.shown.delete(id);
  }

  async useTrack(kind, track) {
    const sender = this.up?.getSenders().find((s) => s.track?.kind === kind || (!s.track && this.kindOf(s) === kind));
    if (sender) await sender.replaceTrack(track);
  }

  kindOf(sender) {
    return this.up.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
  }

  connectionCount() {
    return [this.up, this.screen, this.down].filter((pc) => pc && pc.connectionState !== 'closed').length;
  }

  /** Inbound counters of what is shown of `id` (its screen while it shares one, else its camera). */
  async stats(id) {
    if (!this.down) return null;
    const sharing = [...this.streamsByMid.values()].some((o) => o.participant === id && o.source === 'screen');
    const mids = new Set([...this.streamsByMid].filter(([, o]) => o.participant === id
      && (o.kind === 'audio' || (o.source === 'screen') === sharing)).map(([mid]) => mid));
    const result = await inboundStats(this.down, (s) => mids.has(s.mid));
    return { ...result, via: 'sfu' };
  }

  close() {
    this.closed = true;
    this.up?.close();
    this.screen?.close();
    this.down?.close();
    this.remote.clear();
    this.shown.clear();
  }
}
