// The stage: every tile, laid out to fill the space between the header and the toolbar. Grid view sizes the
// tiles to the largest that fit; speaker view (or a pinned tile, or a shared screen) puts one tile large with the
// others in a strip; our own tile can shrink to a corner.
import { h } from './dom.js';

const GAP = 8;
const WIDEST = 16 / 9;
const NARROWEST = 4 / 3;

/**
 * The grid with the largest tiles for `count` tiles in `width` × `height`: tiles between 4:3 and 16:9.
 * Returns {columns, rows, tileWidth, tileHeight}.
 */
export function bestGrid(count, width, height, gap = GAP) {
  let best = { columns: 1, rows: Math.max(1, count), tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= Math.max(1, count); columns++) {
    const rows = Math.ceil(count / columns);
    let w = (width - gap * (columns - 1)) / columns;
    let hgt = (height - gap * (rows - 1)) / rows;
    if (w / hgt > WIDEST) w = hgt * WIDEST;
    if (w / hgt < NARROWEST) hgt = w / NARROWEST;
    if (w * hgt > best.tileWidth * best.tileHeight) best = { columns, rows, tileWidth: Math.floor(w), tileHeight: Math.floor(hgt) };
  }
  return best;
}

export class Stage {
  constructor() {
    this.tiles = new Map(); // id -> Tile, in arrival order
    this.view = 'grid'; // or 'speaker'
    this.speaker = null; // the active speaker (remote)
    this.pinned = null;
    this.selfId = null;
    this.selfMinimised = false;
    this.main = h('div', { class: 'stage-main' });
    this.strip = h('div', { class: 'strip', 'aria-label': 'Other participants' });
    this.corner = h('div', { class: 'corner' });
    this.element = h('main', { class: 'stage', 'aria-label': 'Participants\u2019 video', 'data-layout': 'grid' },
      this.main, this.strip, this.corner);
    this.observer = new ResizeObserver(() => this.layout());
    this.observer.observe(this.element);
  }

  add(tile) {
    this.tiles.set(tile.id, tile);
    if (tile.self) this.selfId = tile.id;
    this.layout();
  }

  remove(id) {
    this.tiles.get(id)?.remove();
    this.tiles.delete(id);
    if (this.pinned === id) this.pinned = null;
    this.layout();
  }

  get(id) {
    return this.tiles.get(id);
  }

  setView(view) {
    this.view = view;
    this.layout();
  }

  setSpeaker(id) {
    if (this.speaker === id) return;
    this.speaker = id;
    if (this.view === 'speaker') this.layout();
  }

  /** Pins a tile large (unpins it if it was pinned); anyone may pin any tile, for their own page only. */
  togglePin(id) {
    this.pinned = this.pinned === id || !this.tiles.has(id) ? null : id;
    this.layout();
  }

  setSelfMinimised(minimised) {
    this.selfMinimised = minimised;
    this.layout();
  }

  /** The tile shown large: a pinned one, else a shared screen, else (speaker view) the active speaker. */
  featured() {
    if (this.pinned && this.tiles.has(this.pinned)) return this.pinned;
    const remote = [...this.tiles.values()].filter((t) => !t.self);
    const screen = remote.find((t) => t.participant.screen);
    if (screen) return screen.id;
    if (this.view !== 'speaker') return null;
    if (this.speaker && this.tiles.has(this.speaker)) return this.speaker;
    return remote[0]?.id ?? null;
  }

  layout() {
    const featured = this.featured();
    // our own tile in the corner: when minimised, and in a two-person call beside the other one large (on a
    // narrow screen, such as a phone's, even in grid view: two tiles stacked would each be small)
    const narrow = this.element.clientWidth < 640;
    const cornered = this.selfId !== null && featured !== this.selfId
      && (this.selfMinimised || (this.tiles.size === 2 && (featured !== null || narrow)));
    this.element.dataset.layout = featured ? 'featured' : 'grid';
    for (const tile of this.tiles.values()) {
      tile.setPinned(tile.id === this.pinned);
      tile.element.classList.toggle('featured', tile.id === featured);
      if (tile.self) tile.setMinimised(this.selfMinimised);
      const place = tile.self && cornered ? this.corner
        : (featured === null || tile.id === featured ? this.main : this.strip);
      if (tile.element.parentElement !== place) {
        place.append(tile.element);
        tile.resume();
      }
    }
    this.strip.hidden = featured === null || this.strip.childElementCount === 0;
    this.corner.hidden = this.corner.childElementCount === 0;
    this.sizeGrid(featured === null ? this.main.childElementCount : 1);
    this.element.dataset.cornered = String(cornered);
  }

  /** Sizes the main area's grid so that its tiles are as large as they can be. */
  sizeGrid(count) {
    const width = this.main.clientWidth;
    const height = this.main.clientHeight;
    if (!width || !height) return;
    const grid = bestGrid(Math.max(1, count), width, height);
    this.main.style.gridTemplateColumns = `repeat(${grid.columns}, ${grid.tileWidth}px)`;
    this.main.style.gridAutoRows = `${grid.tileHeight}px`;
  }

  close() {
    this.observer.disconnect();
  }
}
