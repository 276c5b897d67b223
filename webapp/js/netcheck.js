// The pre-join connection check: which paths media could take from this network. It gathers ICE candidates with
// the meeting's STUN and TURN servers (short-lived credentials from POST /api/v1/ice/check) and reads what came
// back: a relay candidate means that TURN transport works from here. No DOM.

const GATHER_MS = 6000;

/**
 * @param check {iceServers, iceTransportPolicy, turn} from the server
 * @returns {direct, stun, turnUdp, turnTcp, turnTls, turnOffered: {udp, tcp, tls}, turnConfigured}
 */
export async function gatherPaths(check) {
  const offered = { udp: false, tcp: false, tls: false };
  for (const server of check.iceServers) {
    if (!server.username) continue;
    for (const url of server.urls) {
      if (url.startsWith('turns:')) offered.tls = true;
      else if (/transport=tcp/i.test(url)) offered.tcp = true;
      else offered.udp = true;
    }
  }
  const found = { direct: false, stun: false, turnUdp: false, turnTcp: false, turnTls: false };
  const pc = new RTCPeerConnection({ iceServers: check.iceServers, iceTransportPolicy: 'all' });
  try {
    pc.createDataChannel('check');
    const done = new Promise((resolve) => {
      const timer = setTimeout(resolve, GATHER_MS);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate?.candidate) return;
      const type = candidate.type ?? / typ (\w+)/.exec(candidate.candidate)?.[1];
      if (type === 'host' && candidate.protocol === 'udp') found.direct = true;
      if (type === 'srflx') found.stun = true;
      if (type === 'relay') {
        const via = candidate.relayProtocol ?? 'udp';
        if (via === 'udp') found.turnUdp = true;
        if (via === 'tcp') found.turnTcp = true;
        if (via === 'tls') found.turnTls = true;
      }
    });
    await pc.setLocalDescription(await pc.createOffer());
    await done;
  } finally {
    pc.close();
  }
  return { ...found, turnOffered: offered, turnConfigured: check.turn, relayOnly: check.iceTransportPolicy === 'relay' };
}

/**
 * The verdict in plain words: {level: 'good' | 'warn' | 'bad', text}.
 */
export function verdict(paths) {
  const relayed = paths.turnUdp || paths.turnTcp || paths.turnTls;
  if (!paths.turnConfigured) {
    if (paths.direct || paths.stun) {
      return { level: 'warn', text: 'Direct connections look possible from your network. This server has no relay, so people behind strict firewalls may not see or hear you.' };
    }
    return { level: 'bad', text: 'Your network offers no path for media and this server has no relay: others will not see or hear you.' };
  }
  if (paths.turnUdp) {
    return { level: 'good', text: paths.relayOnly
      ? 'Your network works: Confab relays your media through the server (UDP), as this server requires.'
      : 'Your network works: media can go directly, or through Confab\u2019s relay over UDP when direct connections are blocked.' };
  }
  if (relayed) {
    return { level: 'warn', text: `Your network blocks UDP: Confab will relay your media through the server over ${paths.turnTls ? 'TLS' : 'TCP'}. Calls work; video may be a little slower.` };
  }
  if (paths.relayOnly) {
    return { level: 'bad', text: 'Confab\u2019s relay server could not be reached from your network, and this server sends all media through it: others will not see or hear you. Ask your IT team to allow the relay.' };
  }
  return { level: 'bad', text: paths.direct || paths.stun
    ? 'Confab\u2019s relay server could not be reached from your network: you can only connect with people your network reaches directly. If others cannot see you, ask your IT team to allow the relay.'
    : 'Your network blocks the connections Confab needs, and Confab\u2019s relay server could not be reached: others will not see or hear you. Ask your IT team to allow the relay.' };
}

/** Each path as a line: [{name, state: 'works' | 'blocked' | 'not offered'}]. */
export function pathList(paths) {
  const line = (name, offered, works) => ({ name, state: !offered ? 'not offered' : works ? 'works' : 'blocked' });
  return [
    line('Direct (UDP)', !paths.relayOnly, paths.direct || paths.stun),
    line('Relay over UDP', paths.turnOffered.udp, paths.turnUdp),
    line('Relay over TCP', paths.turnOffered.tcp, paths.turnTcp),
    line('Relay over TLS', paths.turnOffered.tls, paths.turnTls),
  ];
}
