// The meeting room: video tiles, toolbar, chat and participants panels. Talks to the meeting only through
// MeetingConnection (../confab.js).
import { MeetingConnection, CloseCode } from '../confab.js';
import { AudioLevel, openScreen, prefs } from '../media.js';
import { MAX_VIDEOS, planVideos } from '../videoplan.js';
import { h, notice, replace } from './dom.js';
import { message, homeLink } from './pages.js';

const SPEAKING_LEVEL = 0.08;

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || '?';
}

/** One participant's tile: video, name, indicators. */
class Tile {
  constructor(participant, { self = false } = {}) {
    this.id = participant.id;
    this.video = h('video', { autoplay: true, playsinline: true, class: self ? 'mirrored' : null });
    if (self) this.video.muted = true;
    this.avatar = h('div', { class: 'avatar camera-off', 'aria-label': 'Camera off' }, initials(participant.name));
    this.name = h('span', { class: 'name' });
    // a guest has no account: tagged so that nobody can pass for a colleague by taking their name
    this.guestTag = h('span', { class: 'tag guest', hidden: !participant.guest }, 'Guest');
    this.micOff = h('span', { class: 'indicator mic-off', role: 'img', 'aria-label': 'Microphone off', title: 'Microphone off' }, '🔇');
    this.hand = h('span', { class: 'indicator hand', role: 'img', 'aria-label': 'Hand raised', title: 'Hand raised' }, '✋');
    this.element = h('div', { class: 'tile', 'data-participant': participant.id, 'data-self': self || null },
      this.video, this.avatar, h('div', { class: 'label' }, this.name, this.guestTag, this.micOff, this.hand));
    this.self = self;
    this.level = null;
    this.received = true; // false: its video is not received (past the page's video limit): a name tile
    this.update(participant);
  }

  update({ name, audio, video, screen, hand }) {
    this.name.textContent = this.self ? `${name} (You)` : name;
    this.hasVideo = Boolean(video || screen);
    this.element.dataset.mic = audio ? 'on' : 'off';
    this.element.dataset.camera = this.hasVideo ? 'on' : 'off';
    this.element.dataset.hand = hand ? 'up' : 'down';
    this.render();
    this.micOff.hidden = Boolean(audio);
    this.hand.hidden = !hand;
    if (this.self) this.video.classList.toggle('mirrored', !screen);
  }

  /** Whether this tile's video is received (on the SFU a page receives a limited number). */
  setReceived(received) {
    if (this.received === received) return;
    this.received = received;
    this.element.dataset.video = received ? 'received' : 'not-received';
    this.render();
  }

  render() {
    const showVideo = this.hasVideo && this.received;
    this.avatar.hidden = showVideo;
    this.video.classList.toggle('hidden', !showVideo);
  }

  attach(stream) {
    if (this.video.srcObject !== stream) this.video.srcObject = stream;
    this.video.play().catch(() => { /* autoplay waits for a gesture; Join was one */ });
    this.level?.close();
    this.level = new AudioLevel(stream);
  }

  remove() {
    this.level?.close();
    this.element.remove();
  }
}

/**
 * Enters the meeting. `joined` is the REST join reply (participant id, token); `stream` the local media.
 * Returns a cleanup function that leaves the meeting.
 */
export function room(root, { code, meeting, joined, stream, micOn, camOn }) {
  const conn = new MeetingConnection({ code, token: joined.token, localStream: stream });
  window.confabMeeting = conn; // for diagnostics from the browser console (and the end-to-end tests)
  const camera = stream.getVideoTracks()[0] ?? null;
  const microphone = stream.getAudioTracks()[0] ?? null;
  const state = { audio: Boolean(microphone && micOn), video: Boolean(camera && camOn), screen: false, hand: false };
  let screenTrack = null;
  let host = joined.host;
  let locked = Boolean(meeting.locked);
  let left = false;
  let unread = 0;
  let panel = null; // 'chat' | 'participants' | null
  const tiles = new Map();
  const chatIds = new Set();
  const mediaFailures = new Map(); // participant id -> reason (or null) while no media path to them
  const names = new Map([[joined.participantId, joined.displayName]]);
  let speaker = null; // the active speaker (remote): the last one heard above the speaking level
  const lastSpoke = new Map(); // id -> when it was last the loudest (ms)
  const heard = []; // {id, at}: the loudest remote tile at each tick of the last 2 s
  let speakerView = false;

  // ---- elements ----
  const grid = h('div', { class: 'grid', 'data-count': '1' });
  const status = notice('status');
  const alert = notice('alert');
  const presenting = h('div', { class: 'presenting', hidden: true },
    h('span', {}, 'You are presenting'),
    h('button', { type: 'button', onclick: () => stopSharing() }, 'Stop presenting'));
  const lockBadge = h('span', { class: 'lock-badge', hidden: !locked }, '🔒 Locked');

  const micButton = h('button', { type: 'button', class: 'tool media-toggle', 'aria-pressed': String(state.audio), title: 'Microphone (Alt+A)', disabled: !microphone }, 'Microphone');
  const camButton = h('button', { type: 'button', class: 'tool media-toggle', 'aria-pressed': String(state.video), title: 'Camera (Alt+V)', disabled: !camera }, 'Camera');
  const shareButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false' }, 'Share screen');
  const chatBadge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const chatButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false', 'aria-label': 'Chat' }, 'Chat', chatBadge);
  const peopleCount = h('span', { class: 'count', 'aria-hidden': 'true' }, '1');
  const peopleButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false', 'aria-label': 'Participants' }, 'Participants', peopleCount);
  const handButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false' }, 'Raise hand');
  const inviteButton = h('button', { type: 'button', class: 'tool' }, 'Copy invite link');
  const viewButton = h('button', { type: 'button', class: 'tool', 'aria-pressed': 'false', title: 'Speaker view: the active speaker large, the others in a strip' }, 'Speaker view');
  const leaveButton = h('button', { type: 'button', class: 'tool leave' }, 'Leave');

  // chat panel
  const messages = h('ol', { class: 'messages', 'aria-label': 'Chat messages', 'aria-live': 'polite' });
  const recipient = h('select', { name: 'to', 'aria-label': 'Send to' });
  const messageInput = h('input', { name: 'message', autocomplete: 'off', maxlength: 2000, 'aria-label': 'Message', placeholder: 'Message everyone' });
  const chatForm = h('form', { class: 'chat-form' }, recipient, messageInput, h('button', { type: 'submit' }, 'Send'));
  const chatPanel = h('section', { class: 'panel chat', 'aria-label': 'Chat', hidden: true }, h('h2', {}, 'Chat'), messages, chatForm);

  // participants panel
  const people = h('ul', { class: 'people', 'aria-label': 'Participants' });
  const removedList = h('ul', { class: 'people removed', 'aria-label': 'Removed' });
  const removedSection = h('div', { class: 'removed-section', hidden: true }, h('h3', {}, 'Removed'), removedList);
  const hostControls = h('div', { class: 'host-controls' });
  const peoplePanel = h('section', { class: 'panel participants', 'aria-label': 'Participants', hidden: true }, h('h2', {}, 'Participants'), people, removedSection, hostControls);

  replace(root, h('div', { class: 'room' },
    h('header', { class: 'room-bar' },
      h('span', { class: 'room-title' }, meeting.title ?? 'Meeting'),
      h('span', { class: 'room-code' }, code),
      lockBadge,
      status),
    alert,
    presenting,
    h('div', { class: 'room-body' }, h('main', { class: 'stage' }, grid), chatPanel, peoplePanel),
    h('footer', { class: 'toolbar', 'aria-label': 'Meeting controls' },
      micButton, camButton, shareButton, handButton, chatButton, peopleButton, viewButton, inviteButton, leaveButton)));

  const selfTile = new Tile({ id: joined.participantId, name: joined.displayName, guest: joined.guest, ...state }, { self: true });
  selfTile.attach(stream);
  tiles.set(joined.participantId, selfTile);
  grid.append(selfTile.element);
  layout();

  // ---- local controls ----
  function report() {
    conn.reportMedia({ audio: state.audio, video: state.video, screen: state.screen });
    selfTile.update({ name: joined.displayName, ...state });
    micButton.setAttribute('aria-pressed', String(state.audio));
    camButton.setAttribute('aria-pressed', String(state.video));
    shareButton.setAttribute('aria-pressed', String(state.screen));
    handButton.setAttribute('aria-pressed', String(state.hand));
    renderPeople();
  }

  function setMic(on) {
    if (!microphone) return;
    microphone.enabled = on;
    state.audio = on;
    report();
  }

  function setCamera(on) {
    if (!camera) return;
    camera.enabled = on;
    state.video = on;
    report();
  }

  async function startSharing() {
    const track = await openScreen();
    if (!track || left) return;
    screenTrack = track;
    track.addEventListener('ended', () => stopSharing());
    await conn.shareScreen(track);
    selfTile.attach(new MediaStream([track, ...(microphone ? [microphone] : [])]));
    state.screen = true;
    presenting.hidden = false;
    report();
  }

  async function stopSharing() {
    if (!screenTrack) return;
    const track = screenTrack;
    screenTrack = null;
    await conn.stopScreen();
    track.stop();
    selfTile.attach(stream);
    state.screen = false;
    presenting.hidden = true;
    report();
  }

  micButton.addEventListener('click', () => setMic(!state.audio));
  camButton.addEventListener('click', () => setCamera(!state.video));
  shareButton.addEventListener('click', () => (state.screen ? stopSharing() : startSharing()));
  handButton.addEventListener('click', () => {
    state.hand = !state.hand;
    conn.raiseHand(state.hand);
    report();
  });
  viewButton.addEventListener('click', () => {
    speakerView = !speakerView;
    viewButton.setAttribute('aria-pressed', String(speakerView));
    grid.classList.toggle('speaker-view', speakerView);
    replan();
  });
  chatButton.addEventListener('click', () => openPanel(panel === 'chat' ? null : 'chat'));
  peopleButton.addEventListener('click', () => openPanel(panel === 'participants' ? null : 'participants'));
  inviteButton.addEventListener('click', async () => {
    const link = `${location.origin}/m/${code}`;
    try {
      await navigator.clipboard.writeText(link);
      status.show('Invite link copied');
    } catch (e) {
      status.show(`Invite link: ${link}`);
    }
  });
  leaveButton.addEventListener('click', () => {
    leave();
    message(root, 'You left the meeting', null, [
      h('a', { href: `/m/${code}`, 'data-nav': true, class: 'button primary' }, 'Rejoin'), homeLink()]);
  });

  function onKey(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.code === 'KeyA') { event.preventDefault(); setMic(!state.audio); }
    if (event.code === 'KeyV') { event.preventDefault(); setCamera(!state.video); }
  }
  document.addEventListener('keydown', onKey);

  chatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = messageInput.value.trim();
    if (!text) return;
    if (!conn.chat(text, recipient.value || null)) {
      status.show('Not connected: your message will be sent when the connection is back.');
    }
    messageInput.value = '';
  });

  function openPanel(which) {
    panel = which;
    chatPanel.hidden = which !== 'chat';
    peoplePanel.hidden = which !== 'participants';
    chatButton.setAttribute('aria-pressed', String(which === 'chat'));
    peopleButton.setAttribute('aria-pressed', String(which === 'participants'));
    if (which === 'chat') {
      unread = 0;
      renderBadge();
      messageInput.focus();
    }
  }

  function renderBadge() {
    chatBadge.textContent = String(unread);
    chatBadge.hidden = unread === 0;
    chatButton.setAttribute('aria-description', unread ? `${unread} unread` : '');
  }

  // ---- rendering remote state ----
  function layout() {
    const count = tiles.size;
    grid.dataset.count = String(Math.min(count, 9));
    peopleCount.textContent = String(count);
  }

  function renderRecipients() {
    const chosen = recipient.value;
    replace(recipient, h('option', { value: '' }, 'Everyone'),
      [...conn.participants.values()].map((p) => h('option', { value: p.id, selected: p.id === chosen }, p.name)));
  }

  function renderPeople() {
    const rows = [{ id: joined.participantId, name: joined.displayName, host, guest: joined.guest, ...state, self: true }, ...conn.participants.values()];
    replace(people, rows.map((p) => h('li', { class: 'person', 'data-participant': p.id },
      h('span', { class: 'name' }, p.self ? `${p.name} (You)` : p.name),
      p.host ? h('span', { class: 'tag' }, 'Host') : null,
      p.guest ? h('span', { class: 'tag guest' }, 'Guest') : null,
      p.audio ? null : h('span', { class: 'indicator', role: 'img', 'aria-label': 'Microphone off' }, '🔇'),
      p.video || p.screen ? null : h('span', { class: 'indicator', role: 'img', 'aria-label': 'Camera off' }, '📷'),
      p.hand ? h('span', { class: 'indicator', role: 'img', 'aria-label': 'Hand raised' }, '✋') : null,
      host && !p.self ? h('span', { class: 'person-actions' },
        h('button', { type: 'button', 'aria-label': `Mute ${p.name}`, onclick: () => conn.host('mute', p.id) }, 'Mute'),
        h('button', { type: 'button', 'aria-label': `Remove ${p.name}`, onclick: () => conn.host('remove', p.id) }, 'Remove'))
        : null)));
    const bans = host ? conn.bans : [];
    removedSection.hidden = bans.length === 0;
    replace(removedList, bans.map((b) => h('li', { class: 'person', 'data-banned': b.id },
      h('span', { class: 'name' }, b.name),
      b.guest ? h('span', { class: 'tag guest' }, 'Guest') : null,
      h('span', { class: 'person-actions' },
        h('button', { type: 'button', 'aria-label': `Allow ${b.name} back`, onclick: () => conn.host('unban', b.id) }, 'Allow back')))));
    replace(hostControls, host ? [
      h('button', { type: 'button', 'aria-pressed': String(locked), onclick: () => conn.host(locked ? 'unlock' : 'lock') },
        locked ? 'Unlock meeting' : 'Lock meeting'),
      h('button', { type: 'button', class: 'danger', onclick: () => conn.host('end') }, 'End meeting for all'),
    ] : []);
  }

  function addChat(m) {
    if (chatIds.has(m.id)) return;
    chatIds.add(m.id);
    const own = m.from === joined.participantId;
    const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const privateNote = m.private
      ? (own ? `to ${names.get(m.to) ?? 'someone'} (private)` : 'to you (private)')
      : null;
    messages.append(h('li', { class: `message${own ? ' own' : ''}${m.private ? ' private' : ''}`, 'data-message': m.id },
      h('div', { class: 'meta' }, h('span', { class: 'from' }, own ? 'You' : m.name),
        privateNote ? h('span', { class: 'to' }, privateNote) : null,
        h('time', { datetime: m.at }, time)),
      h('p', { class: 'text' }, m.text)));
    messages.scrollTop = messages.scrollHeight;
  }

  function upsertTile(participant) {
    names.set(participant.id, participant.name);
    let tile = tiles.get(participant.id);
    if (!tile) {
      tile = new Tile(participant);
      tiles.set(participant.id, tile);
      grid.append(tile.element);
      const peerStream = conn.remoteStream(participant.id);
      if (peerStream?.getTracks().length) tile.attach(peerStream);
    } else {
      tile.update(participant);
    }
    layout();
  }

  function dropTile(id) {
    tiles.get(id)?.remove();
    tiles.delete(id);
    layout();
  }

  // ---- connection events ----
  conn.addEventListener('welcome', ({ detail }) => {
    host = detail.self.host;
    locked = Boolean(detail.meeting.locked);
    lockBadge.hidden = !locked;
    for (const id of [...tiles.keys()]) {
      if (id !== joined.participantId && !conn.participants.has(id)) dropTile(id);
    }
    detail.participants.forEach(upsertTile);
    detail.chat.forEach(addChat);
    for (const id of [...mediaFailures.keys()]) if (!conn.participants.has(id)) mediaFailures.delete(id);
    if (detail.again) {
      status.show('Reconnected');
      renderMediaFailures(); // replaces "Connection lost"
    }
    renderPeople();
    renderRecipients();
  });
  conn.addEventListener('participant-joined', ({ detail }) => {
    upsertTile(detail.participant);
    renderPeople();
    renderRecipients();
  });
  conn.addEventListener('participant-left', ({ detail }) => {
    if (mediaFailures.delete(detail.id)) renderMediaFailures();
    dropTile(detail.id);
    renderPeople();
    renderRecipients();
  });
  conn.addEventListener('participant-updated', ({ detail }) => {
    tiles.get(detail.participant.id)?.update(detail.participant);
    renderPeople();
  });
  conn.addEventListener('remote-stream', ({ detail }) => tiles.get(detail.id)?.attach(detail.stream));
  conn.addEventListener('chat', ({ detail }) => {
    addChat(detail.message);
    if (panel !== 'chat' && detail.message.from !== joined.participantId) {
      unread += 1;
      renderBadge();
    }
  });
  conn.addEventListener('mute-request', () => {
    setMic(false);
    status.show('The host muted your microphone.');
  });
  conn.addEventListener('locked', ({ detail }) => {
    locked = detail.locked;
    lockBadge.hidden = !locked;
    status.show(locked ? 'The meeting is locked: nobody new can join.' : 'The meeting is unlocked.');
    renderPeople();
  });
  conn.addEventListener('server-error', ({ detail }) => status.show(detail.message));
  conn.addEventListener('media-warning', ({ detail }) => alert.show(detail.message));
  conn.addEventListener('chat-busy', ({ detail }) => {
    status.show(`Chat is busy right now: your message will be sent again in ${Math.ceil(detail.retryAfterMs / 1000)} s.`);
  });
  conn.addEventListener('bans', () => renderPeople());
  conn.addEventListener('connection-lost', () => alert.show('Connection lost. Reconnecting…'));
  // media problems with particular people: one alert naming them, gone once media flows again
  function renderMediaFailures() {
    if (mediaFailures.size === 0) {
      alert.show(null);
      return;
    }
    const who = [...mediaFailures.keys()].map((id) => names.get(id) ?? 'someone').join(', ');
    const reason = [...mediaFailures.values()].find(Boolean);
    alert.show(`Could not connect media with ${who}. Still trying…${reason ? ` ${reason}` : ''}`);
  }
  conn.addEventListener('media-failed', ({ detail }) => {
    mediaFailures.set(detail.id, detail.reason);
    renderMediaFailures();
  });
  conn.addEventListener('media-connected', ({ detail }) => {
    if (mediaFailures.delete(detail.id)) renderMediaFailures();
  });
  conn.addEventListener('ended', () => {
    leave();
    message(root, 'This meeting has ended', 'The host ended the meeting for everyone.', [homeLink()]);
  });
  conn.addEventListener('closed', ({ detail }) => {
    if (left) return;
    leave();
    const [title, text] = {
      [CloseCode.REMOVED]: ['You were removed from the meeting', 'The host removed you from this meeting.'],
      [CloseCode.REPLACED]: ['You joined from somewhere else', 'This meeting is open in another tab or device.'],
      [CloseCode.ENDED]: ['This meeting has ended', 'The host ended the meeting for everyone.'],
      [CloseCode.LOCKED]: ['This meeting is locked', 'The host has locked this meeting.'],
      [CloseCode.INVALID_TOKEN]: ['Your invitation is no longer valid', 'Open the invite link again to join.'],
      [CloseCode.UNKNOWN_MEETING]: ['Meeting not found', 'No meeting has this code.'],
    }[detail.code] ?? ['You left the meeting', null];
    message(root, title, text, [homeLink()]);
  });

  // active speaker: the loudest tile above a threshold
  const speakerTimer = setInterval(() => {
    let loudest = null;
    let loudestLevel = SPEAKING_LEVEL;
    for (const tile of tiles.values()) {
      const level = tile.element.dataset.mic === 'on' ? tile.level?.level() ?? 0 : 0;
      if (level > loudestLevel) {
        loudest = tile;
        loudestLevel = level;
      }
    }
    for (const tile of tiles.values()) tile.element.classList.toggle('speaking', tile === loudest);
    // the active speaker: the remote tile loudest most often over the last 2 s (a tie keeps the current one).
    // Our own voice is left out: it is always louder here than anyone's through the network
    let loudestRemote = null;
    let remoteLevel = SPEAKING_LEVEL;
    for (const tile of tiles.values()) {
      // WebAudio on a remote track has been seen to read silence in Chromium: RTP's own level counts too
      const level = !tile.self && tile.element.dataset.mic === 'on'
        ? Math.max(tile.level?.level() ?? 0, conn.audioLevel(tile.id)) : 0;
      if (level > remoteLevel) {
        loudestRemote = tile;
        remoteLevel = level;
      }
    }
    const now = Date.now();
    if (loudestRemote) {
      heard.push({ id: loudestRemote.id, at: now });
      lastSpoke.set(loudestRemote.id, now);
    }
    while (heard.length && now - heard[0].at > 2000) heard.shift();
    const counts = new Map();
    for (const { id } of heard) counts.set(id, (counts.get(id) ?? 0) + 1);
    const [best] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (best && best !== speaker && counts.get(best) > (counts.get(speaker) ?? 0)) speaker = best;
    replan();
  }, 300);

  /** The tile speaker view shows large: a screen being shared, else the active speaker, else the first one. */
  function featuredId() {
    const remote = [...conn.participants.values()];
    return remote.find((p) => p.screen)?.id ?? (speaker && conn.participants.has(speaker) ? speaker : remote[0]?.id ?? null);
  }

  /** Which videos this page receives, and in what layer (videoplan.js); name tiles for the others. */
  function replan() {
    const remote = [...conn.participants.values()];
    const featured = speakerView ? featuredId() : null;
    const { shown, layers } = planVideos({
      order: remote.map((p) => p.id),
      withVideo: new Set(remote.filter((p) => p.video || p.screen).map((p) => p.id)),
      screens: new Set(remote.filter((p) => p.screen).map((p) => p.id)),
      speaker,
      lastSpoke,
      heights: new Map([...tiles].map(([id, tile]) => [id, tile.element.clientHeight])),
      featured,
      maxVideos: prefs.get().maxVideos ?? MAX_VIDEOS,
    });
    const limited = conn.mode === 'sfu';
    for (const p of remote) tiles.get(p.id)?.setReceived(!limited || shown.has(p.id) || !(p.video || p.screen));
    for (const tile of tiles.values()) tile.element.classList.toggle('featured', tile.id === featured);
    conn.setVideoPlan(layers);
  }

  function leave() {
    if (left) return;
    left = true;
    clearInterval(speakerTimer);
    document.removeEventListener('keydown', onKey);
    conn.leave();
    screenTrack?.stop();
    stream.getTracks().forEach((t) => t.stop());
    tiles.forEach((t) => t.remove());
    if (window.confabMeeting === conn) delete window.confabMeeting;
  }

  // the connection re-sends the last reported state after every welcome, the first one included
  conn.reportMedia({ audio: state.audio, video: state.video, screen: state.screen });
  conn.connect();
  return leave;
}
