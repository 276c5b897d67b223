// The lobby, both sides: the page a newcomer waits on (with its own preview), and what hosts and co-hosts see
// of the people knocking — a chime, a banner, the list with Admit and Deny.
import { h, replace } from './dom.js';
import { icon } from './icons.js';

/** The newcomer's side: shown over the (empty) room until a host lets it in. */
export function waitingOverlay({ stream, onLeave }) {
  const preview = h('video', { class: 'mirrored', autoplay: true, playsinline: true });
  preview.muted = true;
  preview.srcObject = stream;
  const title = h('h1', { id: 'lobby-title' }, 'Waiting to be let in');
  const meetingName = h('p', { class: 'lead' });
  const element = h('section', { class: 'lobby-wait', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'lobby-title', hidden: true },
    h('div', { class: 'lobby-card' },
      h('div', { class: 'preview-frame' }, preview),
      h('div', { class: 'lobby-text' },
        title,
        meetingName,
        h('p', { role: 'status' }, 'The host has been told you are here and will let you in soon. Keep this page open.'),
        h('button', { type: 'button', class: 'danger', onclick: onLeave }, 'Leave'))));
  return {
    element,
    show(meeting) {
      meetingName.textContent = meeting?.title ? `“${meeting.title}”` : 'This meeting has a waiting room.';
      element.hidden = false;
      preview.play().catch(() => {});
    },
    hide() {
      element.hidden = true;
    },
  };
}

/** A short two-tone chime for someone knocking (WebAudio; counted on the page for diagnostics). */
export function knockChime(counterElement) {
  counterElement.dataset.knockChimes = String(Number(counterElement.dataset.knockChimes ?? 0) + 1);
  if (typeof AudioContext === 'undefined') return;
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = 0.08;
  gain.connect(context.destination);
  [660, 880].forEach((frequency, i) => {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(context.currentTime + i * 0.18);
    tone.stop(context.currentTime + i * 0.18 + 0.16);
  });
  setTimeout(() => context.close(), 800);
}

/**
 * The hosts' side: a banner for newcomers and the "Waiting" section of the people panel.
 * `conn` is the MeetingConnection (admit and deny go through conn.host).
 */
export class LobbyView {
  constructor(conn, { onOpenPeople }) {
    this.conn = conn;
    this.bannerText = h('span', { class: 'knock-text' });
    this.bannerAdmit = h('button', { type: 'button', class: 'primary' }, 'Admit');
    this.banner = h('div', { class: 'knock-banner', role: 'status', hidden: true },
      icon('door'), this.bannerText, this.bannerAdmit,
      h('button', { type: 'button', onclick: () => { this.banner.hidden = true; onOpenPeople(); } }, 'View lobby'),
      h('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss', onclick: () => { this.banner.hidden = true; } }, icon('close')));
    this.list = h('ul', { class: 'people waiting', 'aria-label': 'Waiting in the lobby' });
    this.admitAll = h('button', { type: 'button', class: 'primary', onclick: () => conn.host('admit-all') }, 'Admit all');
    this.heading = h('h3', {}, 'Waiting');
    this.section = h('div', { class: 'waiting-section', hidden: true }, this.heading, this.list, this.admitAll);
  }

  /** Someone new knocked: tell the hosts at once. */
  announce(newcomers) {
    if (!newcomers.length) return;
    const [first] = newcomers;
    this.bannerText.textContent = newcomers.length === 1
      ? `${first.name}${first.guest ? ' (guest)' : ''} is waiting to join`
      : `${newcomers.length} people are waiting to join`;
    this.bannerAdmit.onclick = () => {
      if (newcomers.length === 1) this.conn.host('admit', first.id);
      else this.conn.host('admit-all');
      this.banner.hidden = true;
    };
    this.banner.hidden = false;
  }

  render() {
    const waiting = this.conn.moderator ? this.conn.waiting : [];
    this.section.hidden = waiting.length === 0;
    this.heading.textContent = `Waiting (${waiting.length})`;
    this.admitAll.hidden = waiting.length < 2;
    if (waiting.length === 0) this.banner.hidden = true;
    replace(this.list, waiting.map((w) => h('li', { class: 'person', 'data-waiting': w.id },
      h('span', { class: 'name' }, w.name),
      w.guest ? h('span', { class: 'tag guest' }, 'Guest') : null,
      h('span', { class: 'person-actions' },
        h('button', { type: 'button', class: 'primary', 'aria-label': `Admit ${w.name}`, onclick: () => this.conn.host('admit', w.id) }, 'Admit'),
        h('button', { type: 'button', 'aria-label': `Deny ${w.name}`, onclick: () => this.conn.host('deny', w.id) }, 'Deny')))));
  }
}
