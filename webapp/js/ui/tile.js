// One participant's tile on the stage: video (or initials), name, role and state indicators, pin, network
// quality, and the reactions that float over it.
import { AudioLevel } from '../media.js';
import { h } from './dom.js';
import { icon } from './icons.js';

const REACTION_MS = 3000;

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || '?';
}

const QUALITY_WORDS = { good: 'good', fair: 'fair', poor: 'poor', unknown: 'not measured yet' };

export class Tile {
  /**
   * @param participant {id, name, host, cohost, guest, audio, video, screen, hand}
   * @param options.self  our own tile (muted, mirrored, can be minimised)
   * @param options.onPin (id) => void: the pin button (or a tap on the tile) asks to pin or unpin it
   * @param options.onMinimise (minimised) => void: our own tile's minimise button
   */
  constructor(participant, { self = false, onPin = () => {}, onMinimise = () => {} } = {}) {
    this.id = participant.id;
    this.self = self;
    this.participant = participant;
    this.video = h('video', { autoplay: true, playsinline: true, class: self ? 'mirrored' : null });
    if (self) this.video.muted = true;
    this.avatar = h('div', { class: 'avatar camera-off', 'aria-label': 'Camera off' }, initials(participant.name));
    this.name = h('span', { class: 'name' });
    this.roleTag = h('span', { class: 'tag role', hidden: true });
    // a guest has no account: tagged so that nobody can pass for a colleague by taking their name
    this.guestTag = h('span', { class: 'tag guest', hidden: !participant.guest }, 'Guest');
    this.micOff = h('span', { class: 'indicator mic-off', role: 'img', 'aria-label': 'Microphone off', title: 'Microphone off' }, icon('micOff'));
    this.hand = h('span', { class: 'indicator hand', role: 'img', 'aria-label': 'Hand raised', title: 'Hand raised' }, '✋');
    this.pinButton = h('button', { type: 'button', class: 'tile-button pin', 'aria-pressed': 'false' }, icon('pin'));
    this.pinButton.addEventListener('click', (event) => {
      event.stopPropagation();
      onPin(this.id);
    });
    this.qualityDetails = h('span', { class: 'quality-details', hidden: true });
    this.quality = h('button', { type: 'button', class: 'tile-button quality', 'data-level': 'unknown', hidden: self },
      h('span', { class: 'bars', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')));
    this.quality.addEventListener('click', (event) => {
      event.stopPropagation();
      this.qualityDetails.hidden = !this.qualityDetails.hidden;
    });
    const buttons = [this.quality, this.pinButton];
    if (self) {
      this.minimiseButton = h('button', { type: 'button', class: 'tile-button minimise', 'aria-label': 'Minimise self view', title: 'Minimise self view' }, icon('minimise'));
      this.minimiseButton.addEventListener('click', (event) => {
        event.stopPropagation();
        onMinimise(!this.element.classList.contains('minimised'));
      });
      buttons.push(this.minimiseButton);
    }
    this.reactions = h('div', { class: 'reactions', 'aria-hidden': 'true' });
    this.element = h('div', { class: 'tile', 'data-participant': participant.id, 'data-self': self || null },
      this.video, this.avatar, this.reactions,
      h('div', { class: 'tile-buttons' }, ...buttons),
      this.qualityDetails,
      h('div', { class: 'label' }, this.name, this.roleTag, this.guestTag, this.micOff, this.hand));
    // a tap on the tile pins it (phones have no hover for the pin button)
    this.element.addEventListener('click', () => onPin(this.id));
    this.level = null;
    this.received = true; // false: its video is not received (past the page's video limit): a name tile
    this.update(participant);
    this.setQuality(null);
  }

  update(participant) {
    this.participant = { ...this.participant, ...participant };
    const { name, audio, video, screen, hand, host, cohost } = this.participant;
    this.name.textContent = this.self ? `${name} (You)` : name;
    this.hasVideo = Boolean(video || screen);
    this.element.dataset.mic = audio ? 'on' : 'off';
    this.element.dataset.camera = this.hasVideo ? 'on' : 'off';
    this.element.dataset.hand = hand ? 'up' : 'down';
    this.element.dataset.screen = screen ? 'on' : 'off';
    this.roleTag.hidden = !(host || cohost);
    this.roleTag.textContent = host ? 'Host' : 'Co-host';
    this.pinButton.setAttribute('aria-label', `Pin ${name}`);
    this.pinButton.title = `Pin ${name}`;
    this.render();
    this.micOff.hidden = Boolean(audio);
    this.hand.hidden = !hand;
    if (this.self) this.video.classList.toggle('mirrored', !screen);
  }

  setPinned(pinned) {
    this.element.classList.toggle('pinned', pinned);
    this.pinButton.setAttribute('aria-pressed', String(pinned));
    const name = this.participant.name;
    this.pinButton.setAttribute('aria-label', pinned ? `Unpin ${name}` : `Pin ${name}`);
    this.pinButton.title = pinned ? `Unpin ${name}` : `Pin ${name}`;
  }

  setMinimised(minimised) {
    this.element.classList.toggle('minimised', minimised);
    if (!this.minimiseButton) return;
    replaceIcon(this.minimiseButton, minimised ? 'restore' : 'minimise');
    const label = minimised ? 'Show self view' : 'Minimise self view';
    this.minimiseButton.setAttribute('aria-label', label);
    this.minimiseButton.title = label;
  }

  /** Whether this tile's video is received (on the SFU a page receives a limited number). */
  setReceived(received) {
    if (this.received === received) return;
    this.received = received;
    this.element.dataset.video = received ? 'received' : 'not-received';
    this.render();
  }

  /** The network's figures for this person's media (quality.js); null: not measured yet. */
  setQuality(figures) {
    const level = figures?.level ?? 'unknown';
    this.quality.dataset.level = level;
    const details = figures
      ? `loss ${figures.lossPercent} %, round trip ${figures.rttMs ?? '?'} ms${figures.expectVideo ? `, ${figures.fps} frames/s` : ''}`
      : 'no figures yet';
    const text = `Network ${QUALITY_WORDS[level]}: ${details}`;
    this.quality.setAttribute('aria-label', text);
    this.quality.title = text;
    this.qualityDetails.textContent = text;
  }

  render() {
    const showVideo = this.hasVideo && this.received;
    this.avatar.hidden = showVideo;
    this.video.classList.toggle('hidden', !showVideo);
  }

  attach(stream) {
    if (this.video.srcObject !== stream) this.video.srcObject = stream;
    this.resume();
    this.level?.close();
    this.level = new AudioLevel(stream);
  }

  /** Plays again after a move on the page (a moved video may pause). */
  resume() {
    if (this.video.srcObject && this.video.paused) this.video.play().catch(() => { /* autoplay waits for a gesture; Join was one */ });
  }

  /** An emoji rising over the tile for a few seconds. */
  showReaction(emoji) {
    const bubble = h('span', { class: 'reaction', 'data-emoji': emoji }, emoji);
    bubble.style.left = `${15 + Math.random() * 55}%`;
    this.reactions.append(bubble);
    setTimeout(() => bubble.remove(), REACTION_MS);
  }

  remove() {
    this.level?.close();
    this.element.remove();
  }
}

function replaceIcon(button, name) {
  button.querySelector('svg')?.replaceWith(icon(name));
}
