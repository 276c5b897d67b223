// Who is speaking, from audio levels sampled a few times a second. No DOM.
//   - the loudest of everyone above the speaking level (our own voice included): the green border;
//   - the active speaker: the remote participant loudest most often over the last 2 s (a tie keeps the current
//     one). Our own voice is left out: here it is always louder than anyone's through the network.

export const SPEAKING_LEVEL = 0.08;
/** How often levels are read between two samples of the active speaker (ms): often enough that a short sound counts. */
export const LEVEL_READ_MS = 40;
const WINDOW_MS = 2000;

export class ActiveSpeaker {
  constructor() {
    this.speaker = null;
    this.lastSpoke = new Map(); // id -> when it was last the loudest remote (ms)
    this.heard = []; // {id, at}: the loudest remote at each sample of the window
  }

  /**
   * One sample: `levels` is [{id, self, level}] (0..1, 0 for muted). Returns {loudest, changed}: the id loudest
   * now (or null), and whether the active speaker (`this.speaker`) changed.
   */
  sample(levels, now = Date.now()) {
    let loudest = null;
    let loudestLevel = SPEAKING_LEVEL;
    let loudestRemote = null;
    let remoteLevel = SPEAKING_LEVEL;
    for (const { id, self, level } of levels) {
      if (level > loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
      if (!self && level > remoteLevel) {
        loudestRemote = id;
        remoteLevel = level;
      }
    }
    if (loudestRemote) {
      this.heard.push({ id: loudestRemote, at: now });
      this.lastSpoke.set(loudestRemote, now);
    }
    while (this.heard.length && now - this.heard[0].at > WINDOW_MS) this.heard.shift();
    const counts = new Map();
    for (const { id } of this.heard) counts.set(id, (counts.get(id) ?? 0) + 1);
    const [best] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
    const changed = Boolean(best && best !== this.speaker && counts.get(best) > (counts.get(this.speaker) ?? 0));
    if (changed) this.speaker = best;
    return { loudest, changed };
  }
}

/**
 * The loudest level each participant reached since it was last taken: levels read every LEVEL_READ_MS, the speaker
 * sampled less often, so that a short sound between two samples (a word's first syllable; the 20 ms beeps of
 * Chromium's fake microphone) is not missed.
 */
export class PeakLevels {
  constructor() {
    this.peaks = new Map(); // id -> loudest level since the last take
  }

  note(id, level) {
    if (level > (this.peaks.get(id) ?? 0)) this.peaks.set(id, level);
  }

  take(id) {
    const peak = this.peaks.get(id) ?? 0;
    this.peaks.delete(id);
    return peak;
  }
}
