// Local media: camera, microphone and screen. No DOM.

const PREFS_KEY = 'confab.prefs';

/** User preferences kept in this browser: chosen devices and video size (e.g. {videoHeight: 240} on slow links). */
export const prefs = {
  get() {
    try {
      return JSON.parse(localStorage.getItem(PREFS_KEY)) ?? {};
    } catch (e) {
      return {};
    }
  },
  update(changes) {
    localStorage.setItem(PREFS_KEY, JSON.stringify({ ...prefs.get(), ...changes }));
  },
};

function videoConstraints(deviceId) {
  const height = prefs.get().videoHeight ?? 360;
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    height: { ideal: height },
    width: { ideal: Math.round((height * 4) / 3) },
    frameRate: { ideal: height <= 240 ? 15 : 24 },
  };
}

/** Why a device could not be used, in words for people. */
export function describeMediaError(error) {
  switch (error?.name) {
    case 'NotAllowedError': return 'Access was denied. Allow the camera and microphone for this site in your browser.';
    case 'NotFoundError':
    case 'OverconstrainedError': return 'No camera or microphone was found.';
    case 'NotReadableError': return 'The device is in use by another application.';
    default: return 'The device could not be started.';
  }
}

/**
 * Asks for camera and microphone; falls back to microphone only, then to nothing (listen-only).
 * Returns {stream, problem}: problem is null when both devices work.
 */
export async function openLocalMedia({ audioDeviceId, videoDeviceId } = {}) {
  const audio = audioDeviceId ? { deviceId: { exact: audioDeviceId } } : true;
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio, video: videoConstraints(videoDeviceId) }), problem: null };
  } catch (both) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      return { stream, problem: `Camera unavailable: ${describeMediaError(both)} You can join with audio only.` };
    } catch (audioOnly) {
      return {
        stream: new MediaStream(),
        problem: `Camera and microphone unavailable: ${describeMediaError(audioOnly)} You can still join to listen and watch.`,
      };
    }
  }
}

/** One device's track ('audio' or 'video'), for switching devices during a meeting; throws if it cannot start. */
export async function openDevice(kind, deviceId) {
  const constraints = kind === 'video' ? { video: videoConstraints(deviceId) } : { audio: { deviceId: { exact: deviceId } } };
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  return stream.getTracks()[0];
}

export async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput'),
    microphones: devices.filter((d) => d.kind === 'audioinput'),
  };
}

/** Asks to share a screen or window; null if the user declines. */
export async function openScreen() {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    return stream.getVideoTracks()[0] ?? null;
  } catch (e) {
    return null;
  }
}

/** Reports 0..1 loudness of a stream's audio, sampled on request. */
export class AudioLevel {
  constructor(stream) {
    this.context = null;
    this.analyser = null;
    if (!stream.getAudioTracks().length || typeof AudioContext === 'undefined') return;
    this.context = new AudioContext();
    const source = this.context.createMediaStreamSource(stream);
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 2048; // about 43 ms at 48 kHz: each read covers the time since the last (LEVEL_READ_MS)
    source.connect(this.analyser);
    this.samples = new Uint8Array(this.analyser.fftSize);
  }

  level() {
    if (!this.analyser) return 0;
    this.analyser.getByteTimeDomainData(this.samples);
    let peak = 0;
    for (const s of this.samples) peak = Math.max(peak, Math.abs(s - 128));
    return peak / 128;
  }

  close() {
    this.context?.close();
  }
}
