// Which remote videos a page receives, and in what quality. On the SFU a page receives at most `maxVideos`
// videos (9 by default; the others are shown as name tiles, their audio still plays): a pinned tile, screen
// shares and the active speaker first, then whoever spoke last, then join order. Each received video comes in
// the simulcast layer its tile needs. No DOM and no protocol: the room tells it what it sees, the meeting
// connection sends the result to the SFU.

export const MAX_VIDEOS = 9;

/** The layer a tile of `height` CSS pixels needs (a featured tile — speaker view, a screen — the top one). */
export function layerFor(height, featured) {
  if (featured) return 'high';
  if (height >= 360) return 'high';
  if (height >= 180) return 'medium';
  return 'low';
}

/**
 * @param {object} view
 * @param {string[]} view.order      remote participant ids in join order
 * @param {Set<string>} view.withVideo  those whose camera or screen is on
 * @param {Set<string>} view.screens  those sharing their screen
 * @param {string|null} view.speaker  the active speaker
 * @param {string|null} view.pinned   the tile someone pinned
 * @param {Map<string, number>} view.lastSpoke  id -> when it last spoke (ms)
 * @param {Map<string, number>} view.heights    id -> its tile's height (CSS px)
 * @param {string|null} view.featured the tile shown large (speaker view), if any
 * @param {number} view.maxVideos
 * @returns {{shown: Set<string>, layers: Map<string, string>}} who gets video, and each id's camera layer ('off' if
 *   none; a shared screen is a stream of its own and always comes whole)
 */
export function planVideos({ order, withVideo, screens = new Set(), speaker = null, pinned = null,
  lastSpoke = new Map(), heights = new Map(), featured = null, maxVideos = MAX_VIDEOS }) {
  const joinIndex = new Map(order.map((id, i) => [id, i]));
  const rank = (id) => {
    if (id === pinned) return 0;
    if (screens.has(id)) return 1;
    if (id === speaker) return 2;
    return 3;
  };
  const ranked = order.filter((id) => withVideo.has(id)).sort((a, b) => rank(a) - rank(b)
    || (lastSpoke.get(b) ?? 0) - (lastSpoke.get(a) ?? 0)
    || joinIndex.get(a) - joinIndex.get(b));
  const shown = new Set(ranked.slice(0, Math.max(0, maxVideos)));
  // a sharer's tile shows its screen (a stream of its own, sent whole): its camera is not needed meanwhile
  const layers = new Map(order.map((id) => [id, shown.has(id) && !screens.has(id)
    ? layerFor(heights.get(id) ?? 0, id === featured)
    : 'off']));
  return { shown, layers };
}
