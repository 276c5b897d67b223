// Network quality of one remote participant's media, from successive getStats() samples (confab.js stats()):
// packet loss over the last interval, round trip, frame rate. No DOM.

/** Thresholds people notice: over them a call stutters (fair) or breaks up (poor). */
const FAIR = { lossPercent: 2, rttMs: 300, fps: 12 };
const POOR = { lossPercent: 8, rttMs: 700, fps: 5 };

/** 'good' | 'fair' | 'poor' from one interval's figures; fps counts only while video is expected. */
export function rateQuality({ lossPercent, rttMs, fps, expectVideo }) {
  const worse = (limit) => lossPercent >= limit.lossPercent || (rttMs ?? 0) >= limit.rttMs
    || (expectVideo && fps < limit.fps);
  if (worse(POOR)) return 'poor';
  if (worse(FAIR)) return 'fair';
  return 'good';
}

/** Turns cumulative counters into the last interval's figures. */
export class QualityMeter {
  constructor() {
    this.last = null;
  }

  /** `stats`: {packetsReceived, packetsLost, framesPerSecond, roundTripTimeMs}; null when nothing is known yet. */
  sample(stats, expectVideo) {
    if (!stats) return null;
    const previous = this.last;
    this.last = stats;
    if (!previous) return null;
    const received = stats.packetsReceived - previous.packetsReceived;
    const lost = stats.packetsLost - previous.packetsLost;
    if (received < 0 || lost < 0) return null; // a new connection: counters started again
    const lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
    const figures = {
      lossPercent: Math.round(lossPercent * 10) / 10,
      rttMs: stats.roundTripTimeMs,
      fps: Math.round(stats.framesPerSecond ?? 0),
      expectVideo,
      receiving: received > 0,
    };
    return { ...figures, level: received + lost === 0 ? 'poor' : rateQuality(figures) };
  }
}
