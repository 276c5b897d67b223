// Line icons for the room's controls, drawn as SVG nodes (no markup strings). Each is decorative: the button
// that holds it carries the accessible name.

const SVG = 'http://www.w3.org/2000/svg';

// Each icon: shapes on a 24×24 grid, stroked with the current text colour.
const SHAPES = {
  mic: [['rect', { x: 9, y: 3, width: 6, height: 11, rx: 3 }], ['path', { d: 'M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8' }]],
  micOff: [['rect', { x: 9, y: 3, width: 6, height: 11, rx: 3 }], ['path', { d: 'M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8M3 3l18 18' }]],
  camera: [['rect', { x: 2, y: 6, width: 14, height: 12, rx: 2 }], ['path', { d: 'M16 10l6-3v10l-6-3z' }]],
  cameraOff: [['rect', { x: 2, y: 6, width: 14, height: 12, rx: 2 }], ['path', { d: 'M16 10l6-3v10l-6-3zM3 3l18 18' }]],
  screen: [['rect', { x: 2, y: 4, width: 20, height: 13, rx: 2 }], ['path', { d: 'M8 21h8M12 17v4M12 14V8M9 11l3-3 3 3' }]],
  smile: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M8 14a5 5 0 0 0 8 0M9 9.5h.01M15 9.5h.01' }]],
  hand: [['path', { d: 'M7 12V6a1.5 1.5 0 0 1 3 0v5M10 11V4.5a1.5 1.5 0 0 1 3 0V11M13 11V5.5a1.5 1.5 0 0 1 3 0V12M16 12V8.5a1.5 1.5 0 0 1 3 0V15a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-2.5-4.5a1.5 1.5 0 0 1 2.5-1.6L7 14' }]],
  chat: [['path', { d: 'M4 5h16v11H9l-5 4z' }]],
  people: [['circle', { cx: 9, cy: 8, r: 3.5 }], ['path', { d: 'M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 3.5 6' }]],
  more: [['path', { d: 'M5 12h.01M12 12h.01M19 12h.01', 'stroke-width': 3 }]],
  leave: [['path', { d: 'M3 14c5-5 13-5 18 0l-2.5 3-3.5-1.5v-2.5a10 10 0 0 0-6 0v2.5L5.5 17z' }]],
  caret: [['path', { d: 'M7 10l5 5 5-5' }]],
  pin: [['path', { d: 'M9 3h6l-1 6 4 4H6l4-4zM12 13v8' }]],
  minimise: [['path', { d: 'M5 19h14' }]],
  restore: [['rect', { x: 4, y: 5, width: 16, height: 14, rx: 2 }]],
  copy: [['rect', { x: 8, y: 8, width: 12, height: 12, rx: 2 }], ['path', { d: 'M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3' }]],
  grid: [['rect', { x: 3, y: 3, width: 8, height: 8, rx: 1 }], ['rect', { x: 13, y: 3, width: 8, height: 8, rx: 1 }], ['rect', { x: 3, y: 13, width: 8, height: 8, rx: 1 }], ['rect', { x: 13, y: 13, width: 8, height: 8, rx: 1 }]],
  speaker: [['rect', { x: 3, y: 3, width: 18, height: 12, rx: 1 }], ['rect', { x: 3, y: 17, width: 5, height: 4, rx: 1 }], ['rect', { x: 9.5, y: 17, width: 5, height: 4, rx: 1 }], ['rect', { x: 16, y: 17, width: 5, height: 4, rx: 1 }]],
  keyboard: [['rect', { x: 2, y: 6, width: 20, height: 12, rx: 2 }], ['path', { d: 'M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10' }]],
  close: [['path', { d: 'M6 6l12 12M18 6L6 18' }]],
  lock: [['rect', { x: 5, y: 11, width: 14, height: 10, rx: 2 }], ['path', { d: 'M8 11V7a4 4 0 0 1 8 0v4' }]],
  door: [['path', { d: 'M6 21V4h10v17M3 21h18M13 12h.01' }]],
  link: [['path', { d: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1' }]],
};

/** An icon node; `name` is one of the keys above. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [key, value] of Object.entries({ viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor',
    'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false', class: 'icon' })) {
    svg.setAttribute(key, String(value));
  }
  for (const [tag, attributes] of SHAPES[name] ?? []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) shape.setAttribute(key, String(value));
    svg.append(shape);
  }
  return svg;
}
