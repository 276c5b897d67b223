// The meeting room: header, stage, toolbar, chat and people panels, and the lobby. Talks to the meeting only
// through MeetingConnection (../confab.js); the stage (stage.js) lays the tiles (tile.js) out.
import { session } from '../api.js';
import { MeetingConnection, CloseCode } from '../confab.js';
import { listDevices, openDevice, openScreen, prefs } from '../media.js';
import { QualityMeter } from '../quality.js';
import { ActiveSpeaker, LEVEL_READ_MS, PeakLevels } from '../speaker.js';
import { MAX_VIDEOS, planVideos } from '../videoplan.js';
import { ChatPanel } from './chat.js';
import { Menu, shortcutsDialog, toolButton } from './controls.js';
import { h, notice, replace } from './dom.js';
import { icon } from './icons.js';
import { knockChime, LobbyView, waitingOverlay } from './lobby.js';
import { message, homeLink } from './pages.js';
import { PeoplePanel } from './people.js';
import { Stage } from './stage.js';
import { Tile } from './tile.js';

const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'];
const SHORTCUTS = [
  { keys: 'Alt+A', what: 'Microphone on or off' },
  { keys: 'Alt+V', what: 'Camera on or off' },
  { keys: 'Alt+S', what: 'Share your screen, or stop' },
  { keys: 'Alt+H', what: 'Raise or lower your hand' },
  { keys: 'Alt+C', what: 'Open or close the chat' },
  { keys: 'Alt+P', what: 'Open or close the people panel' },
  { keys: 'Alt+G', what: 'Grid or speaker view' },
  { keys: 'Escape', what: 'Close a menu, or unpin' },
  { keys: '?', what: 'This list' },
];

function elapsed(sinceMs) {
  const total = Math.max(0, Math.floor((Date.now() - sinceMs) / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  return `${hours ? `${hours}:` : ''}${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/**
 * Enters the meeting. `joined` is the REST join reply (participant id, token); `stream` the local media.
 * Returns a cleanup function that leaves the meeting.
 */
export function room(root, { code, meeting, joined, stream, micOn, camOn }) {
  const conn = new MeetingConnection({ code, token: joined.token, localStream: stream });
  window.confabMeeting = conn; // for diagnostics from the browser console (and the end-to-end tests)
  let camera = stream.getVideoTracks()[0] ?? null;
  let microphone = stream.getAudioTracks()[0] ?? null;
  const state = { audio: Boolean(microphone && micOn), video: Boolean(camera && camOn), screen: false, hand: false };
  let screenTrack = null;
  let locked = Boolean(meeting.locked);
  let lobbyOn = Boolean(meeting.lobby);
  let startedAt = Date.now();
  let left = false;
  let unread = 0;
  let panel = null; // 'chat' | 'participants' | null
  const mediaFailures = new Map(); // participant id -> reason (or null) while no media path to them
  const names = new Map([[joined.participantId, joined.displayName]]);
  const meters = new Map(); // participant id -> QualityMeter
  const speaking = new ActiveSpeaker();
  const self = () => ({ id: joined.participantId, name: joined.displayName, guest: joined.guest,
    host: Boolean(conn.self?.host ?? joined.host), cohost: Boolean(conn.self?.cohost), ...state });

  // ---- header ----
  const link = `${location.origin}/m/${code}`;
  const title = h('h1', { class: 'room-title' }, meeting.title ?? 'Meeting');
  const clock = h('span', { class: 'room-clock', role: 'timer', 'aria-label': 'Time in the meeting' }, '00:00');
  const headCount = h('span', { class: 'room-count', 'aria-live': 'off' }, '1 person');
  const lockBadge = h('span', { class: 'badge-chip lock-badge', hidden: !locked }, icon('lock'), 'Locked');
  const lobbyBadge = h('span', { class: 'badge-chip lobby-badge', hidden: !lobbyOn }, icon('door'), 'Waiting room on');
  const copyLink = h('button', { type: 'button', class: 'copy-link', 'aria-label': 'Copy invite link', title: 'Copy invite link' }, icon('copy'), h('span', { class: 'tool-label' }, 'Copy'));
  const status = notice('status');
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', role: 'log' }); // joins, leaves, reactions
  const header = h('header', { class: 'room-header' },
    h('div', { class: 'room-heading' }, title, h('span', { class: 'room-meta' }, clock, ' · ', headCount), lockBadge, lobbyBadge),
    h('div', { class: 'invite' }, icon('link'), h('input', { class: 'invite-link', readonly: true, value: link, 'aria-label': 'Invite link' }), copyLink),
    status, announcer);
  const alert = notice('alert');
  const presenting = h('div', { class: 'presenting', hidden: true },
    h('span', {}, 'You are presenting'),
    h('button', { type: 'button', onclick: () => stopSharing() }, 'Stop presenting'));

  // ---- stage ----
  const stage = new Stage();
  const newTile = (participant, options = {}) => new Tile(participant, {
    ...options, onPin: (id) => { stage.togglePin(id); replan(); }, onMinimise: (m) => stage.setSelfMinimised(m),
  });

  // ---- toolbar ----
  const micButton = toolButton({ iconName: state.audio ? 'mic' : 'micOff', label: 'Microphone', shortcut: 'Alt+A', pressed: state.audio, className: 'media-toggle' });
  const micDevices = h('button', { type: 'button', class: 'tool caret', 'aria-label': 'Choose microphone', title: 'Choose microphone' }, icon('caret'));
  const camButton = toolButton({ iconName: state.video ? 'camera' : 'cameraOff', label: 'Camera', shortcut: 'Alt+V', pressed: state.video, className: 'media-toggle' });
  const camDevices = h('button', { type: 'button', class: 'tool caret', 'aria-label': 'Choose camera', title: 'Choose camera' }, icon('caret'));
  const shareButton = toolButton({ iconName: 'screen', label: 'Share screen', shortcut: 'Alt+S', pressed: false });
  const reactButton = toolButton({ iconName: 'smile', label: 'Reactions' });
  const handButton = toolButton({ iconName: 'hand', label: 'Raise hand', shortcut: 'Alt+H', pressed: false });
  const chatBadge = h('span', { class: 'badge chat-badge', hidden: true, 'aria-hidden': 'true' });
  const chatButton = toolButton({ iconName: 'chat', label: 'Chat', shortcut: 'Alt+C', pressed: false });
  chatButton.append(chatBadge);
  const peopleCount = h('span', { class: 'count', 'aria-hidden': 'true' }, '1');
  const knockBadge = h('span', { class: 'badge knock-badge', hidden: true, 'aria-hidden': 'true' });
  const peopleButton = toolButton({ iconName: 'people', label: 'Participants', shortcut: 'Alt+P', pressed: false });
  peopleButton.append(peopleCount, knockBadge);
  const moreButton = toolButton({ iconName: 'more', label: 'More' });
  const leaveButton = toolButton({ iconName: 'leave', label: 'Leave', className: 'leave' });

  micButton.disabled = !microphone;
  camButton.disabled = !camera;

  const micMenu = new Menu(micDevices, () => deviceItems('audio'), { label: 'Microphones' });
  const camMenu = new Menu(camDevices, () => deviceItems('video'), { label: 'Cameras' });
  const reactMenu = new Menu(reactButton, () => REACTIONS.map((emoji) => ({ label: emoji, onSelect: () => react(emoji), keepsFocus: true })), { label: 'Reactions' });
  reactMenu.element.classList.add('reactions-menu');
  const help = shortcutsDialog(SHORTCUTS);
  const moreMenu = new Menu(moreButton, () => [
    { label: stage.view === 'speaker' ? 'Grid view' : 'Speaker view', onSelect: toggleView },
    stage.pinned ? { label: 'Unpin', onSelect: () => { stage.togglePin(stage.pinned); replan(); } } : null,
    { label: stage.selfMinimised ? 'Show self view' : 'Minimise self view', onSelect: () => stage.setSelfMinimised(!stage.selfMinimised) },
    { label: 'Copy invite link', onSelect: copyInvite },
    conn.moderator ? { label: lobbyOn ? 'Turn waiting room off' : 'Turn waiting room on', onSelect: () => conn.host(lobbyOn ? 'lobby-off' : 'lobby-on') } : null,
    conn.moderator ? { label: locked ? 'Unlock meeting' : 'Lock meeting', onSelect: () => conn.host(locked ? 'unlock' : 'lock') } : null,
    { label: 'Choose microphone…', onSelect: () => micMenu.open(), keepsFocus: true },
    { label: 'Choose camera…', onSelect: () => camMenu.open(), keepsFocus: true },
    { label: 'Keyboard shortcuts', onSelect: () => help.showModal() },
  ], { label: 'More options' });
  const leaveMenu = new Menu(leaveButton, () => [
    { label: 'Leave meeting', onSelect: leaveMeeting },
    conn.self?.host ?? joined.host ? { label: 'End meeting for all', danger: true, onSelect: () => conn.host('end') } : null,
  ], { label: 'Leave' });

  const group = (...items) => h('div', { class: 'tool-group' }, ...items);
  const toolbar = h('footer', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Meeting controls' },
    group(micButton, micDevices, micMenu.element), group(camButton, camDevices, camMenu.element),
    shareButton, group(reactButton, reactMenu.element), handButton, chatButton, peopleButton,
    group(moreButton, moreMenu.element), group(leaveButton, leaveMenu.element));

  // ---- panels ----
  const closePanel = () => h('button', { type: 'button', class: 'panel-close', 'aria-label': 'Close panel', onclick: () => openPanel(null) }, icon('close'));
  const chatPanel = new ChatPanel(conn, joined.participantId, names, { closeButton: closePanel(), onStatus: (text) => status.show(text) });
  const lobbyView = new LobbyView(conn, { onOpenPeople: () => openPanel('participants') });
  const peoplePanel = new PeoplePanel(conn, lobbyView, { closeButton: closePanel() });

  const waiting = waitingOverlay({ stream, onLeave: () => leaveMeeting() });
  const roomElement = h('div', { class: 'room' },
    header, alert, lobbyView.banner, presenting,
    h('div', { class: 'room-body' }, stage.element, chatPanel.element, peoplePanel.element),
    toolbar, help, waiting.element);
  replace(root, roomElement);

  const selfTile = newTile(self(), { self: true });
  selfTile.attach(stream);
  stage.add(selfTile);
  layout();

  // ---- local controls ----
  function report() {
    conn.reportMedia({ audio: state.audio, video: state.video, screen: state.screen });
    selfTile.update(self());
    // toggles keep their names; aria-pressed says whether they are on (the icon shows it too)
    micButton.setAttribute('aria-pressed', String(state.audio));
    micButton.setLabel('Microphone', state.audio ? 'mic' : 'micOff');
    camButton.setAttribute('aria-pressed', String(state.video));
    camButton.setLabel('Camera', state.video ? 'camera' : 'cameraOff');
    shareButton.setAttribute('aria-pressed', String(state.screen));
    handButton.setAttribute('aria-pressed', String(state.hand));
    renderPeople();
    replan();
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

  // the device menus read this list, refreshed when devices come and go
  let devices = { cameras: [], microphones: [] };
  const refreshDevices = () => listDevices().then((found) => { devices = found; }).catch(() => {});
  refreshDevices();
  navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);

  function deviceItems(kind) {
    const list = kind === 'audio' ? devices.microphones : devices.cameras;
    const current = (kind === 'audio' ? microphone : camera)?.getSettings().deviceId;
    if (!list.length) return [{ label: kind === 'audio' ? 'No microphone found' : 'No camera found', disabled: true, onSelect: () => {} }];
    return list.map((d, i) => ({
      label: d.label || `${kind === 'audio' ? 'Microphone' : 'Camera'} ${i + 1}`,
      checked: d.deviceId === current,
      onSelect: () => useDevice(kind, d.deviceId),
    }));
  }

  /** Switches the microphone or camera in use; the others get the new track without renegotiation. */
  async function useDevice(kind, deviceId) {
    try {
      const track = await openDevice(kind, deviceId);
      const old = kind === 'audio' ? microphone : camera;
      track.enabled = kind === 'audio' ? state.audio : state.video;
      if (old) stream.removeTrack(old);
      stream.addTrack(track);
      if (kind === 'audio') microphone = track; else camera = track;
      if (!(kind === 'video' && state.screen)) await conn.useTrack(kind, track);
      old?.stop();
      prefs.update(kind === 'audio' ? { microphone: deviceId } : { camera: deviceId });
      if (!state.screen) selfTile.attach(stream);
      status.show(`Now using ${track.label || 'the chosen device'}`);
    } catch (e) {
      status.show(`That device could not be started: ${e.message}`);
    }
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

  function toggleHand() {
    state.hand = !state.hand;
    conn.raiseHand(state.hand);
    report();
  }

  function toggleView() {
    stage.setView(stage.view === 'speaker' ? 'grid' : 'speaker');
    status.show(stage.view === 'speaker' ? 'Speaker view' : 'Grid view');
    replan();
  }

  function react(emoji) {
    if (!conn.react(emoji)) status.show('Reactions are sent once you are in the meeting.');
  }

  async function copyInvite() {
    try {
      await navigator.clipboard.writeText(link);
      status.show('Invite link copied');
    } catch (e) {
      status.show(`Invite link: ${link}`);
    }
  }

  function leaveMeeting() {
    leave();
    message(root, 'You left the meeting', null, [
      h('a', { href: `/m/${code}`, 'data-nav': true, class: 'button primary' }, 'Rejoin'), homeLink()]);
  }

  micButton.addEventListener('click', () => setMic(!state.audio));
  camButton.addEventListener('click', () => setCamera(!state.video));
  shareButton.addEventListener('click', () => (state.screen ? stopSharing() : startSharing()));
  handButton.addEventListener('click', toggleHand);
  chatButton.addEventListener('click', () => openPanel(panel === 'chat' ? null : 'chat'));
  peopleButton.addEventListener('click', () => openPanel(panel === 'participants' ? null : 'participants'));
  copyLink.addEventListener('click', copyInvite);

  function onKey(event) {
    if (left) return;
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement
      || event.target instanceof HTMLSelectElement;
    if (event.key === '?' && !typing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      help.showModal();
      return;
    }
    if (event.key === 'Escape' && !typing && stage.pinned) {
      stage.togglePin(stage.pinned);
      replan();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      KeyA: () => setMic(!state.audio),
      KeyV: () => setCamera(!state.video),
      KeyS: () => (state.screen ? stopSharing() : startSharing()),
      KeyH: toggleHand,
      KeyC: () => openPanel(panel === 'chat' ? null : 'chat'),
      KeyP: () => openPanel(panel === 'participants' ? null : 'participants'),
      KeyG: toggleView,
    };
    const action = actions[event.code];
    if (action) {
      event.preventDefault();
      action();
    }
  }
  document.addEventListener('keydown', onKey);

  function openPanel(which) {
    panel = which;
    chatPanel.element.hidden = which !== 'chat';
    peoplePanel.element.hidden = which !== 'participants';
    roomElement.dataset.panel = which ?? '';
    chatButton.setAttribute('aria-pressed', String(which === 'chat'));
    peopleButton.setAttribute('aria-pressed', String(which === 'participants'));
    if (which === 'chat') {
      unread = 0;
      renderBadge();
      chatPanel.focus();
    }
  }

  function renderBadge() {
    chatBadge.textContent = String(unread);
    chatBadge.hidden = unread === 0;
    chatButton.setAttribute('aria-description', unread ? `${unread} unread` : '');
  }

  // ---- rendering remote state ----
  function layout() {
    const count = conn.participants.size + 1;
    peopleCount.textContent = String(count);
    headCount.textContent = count === 1 ? '1 person' : `${count} people`;
  }

  const renderRecipients = () => chatPanel.renderRecipients();

  function renderKnocks() {
    const count = conn.moderator ? conn.waiting.length : 0;
    knockBadge.textContent = String(count);
    knockBadge.hidden = count === 0;
    peopleButton.setAttribute('aria-description', count ? `${count} waiting in the lobby` : '');
    lobbyView.render();
  }

  function renderPeople() {
    peoplePanel.render(self(), { locked, lobby: lobbyOn });
    renderKnocks();
  }

  const addChat = (m) => chatPanel.add(m);

  function upsertTile(participant) {
    names.set(participant.id, participant.name);
    let tile = stage.get(participant.id);
    if (!tile) {
      tile = newTile(participant);
      stage.add(tile);
      const peerStream = conn.remoteStream(participant.id);
      if (peerStream?.getTracks().length) tile.attach(peerStream);
    } else {
      tile.update(participant);
      stage.layout();
    }
    layout();
  }

  function dropTile(id) {
    stage.remove(id);
    meters.delete(id);
    layout();
  }

  // ---- connection events ----
  conn.addEventListener('waiting', ({ detail }) => {
    waiting.show(detail.meeting);
    roomElement.dataset.lobby = 'waiting';
  });
  conn.addEventListener('welcome', ({ detail }) => {
    waiting.hide();
    roomElement.dataset.lobby = 'in';
    locked = Boolean(detail.meeting.locked);
    lobbyOn = Boolean(detail.meeting.lobby);
    lockBadge.hidden = !locked;
    lobbyBadge.hidden = !lobbyOn;
    if (detail.meeting.title) title.textContent = detail.meeting.title;
    if (detail.meeting.startedAt) startedAt = Date.parse(detail.meeting.startedAt);
    selfTile.update(self());
    for (const id of [...stage.tiles.keys()]) {
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
    announcer.textContent = `${detail.participant.name} joined`;
    renderPeople();
    renderRecipients();
  });
  conn.addEventListener('participant-left', ({ detail }) => {
    if (mediaFailures.delete(detail.id)) renderMediaFailures();
    announcer.textContent = `${names.get(detail.id) ?? 'Someone'} left`;
    dropTile(detail.id);
    renderPeople();
    renderRecipients();
  });
  conn.addEventListener('participant-updated', ({ detail }) => {
    stage.get(detail.participant.id)?.update(detail.participant);
    stage.layout();
    renderPeople();
  });
  conn.addEventListener('remote-stream', ({ detail }) => stage.get(detail.id)?.attach(detail.stream));
  conn.addEventListener('chat', ({ detail }) => {
    addChat(detail.message);
    if (panel !== 'chat' && detail.message.from !== joined.participantId) {
      unread += 1;
      renderBadge();
    }
  });
  conn.addEventListener('reaction', ({ detail }) => {
    stage.get(detail.id)?.showReaction(detail.emoji);
    const who = detail.id === joined.participantId ? 'You' : names.get(detail.id) ?? 'Someone';
    announcer.textContent = `${who} reacted ${detail.emoji}`;
  });
  conn.addEventListener('knocking', ({ detail }) => {
    if (detail.newcomers.length && conn.moderator) {
      knockChime(roomElement);
      lobbyView.announce(detail.newcomers);
      announcer.textContent = `${detail.newcomers.map((w) => w.name).join(', ')} waiting in the lobby`;
    }
    renderKnocks();
  });
  conn.addEventListener('lobby', ({ detail }) => {
    lobbyOn = detail.lobby;
    lobbyBadge.hidden = !lobbyOn;
    status.show(lobbyOn ? 'The waiting room is on: a host lets newcomers in.' : 'The waiting room is off.');
    renderPeople();
  });
  conn.addEventListener('role', ({ detail }) => {
    const participant = conn.participants.get(detail.id);
    if (participant) stage.get(detail.id)?.update(participant);
    if (detail.self) {
      selfTile.update(self());
      status.show(detail.cohost ? 'You are now a co-host: you can let people in, mute and remove.' : 'You are no longer a co-host.');
    }
    renderPeople();
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
    if (detail.code === CloseCode.SIGNED_OUT) session.clear(); // the provider ended the sign-in: it is over here too
    const [heading, text] = {
      [CloseCode.SIGNED_OUT]: ['You have been signed out', 'Your company sign-in has ended, so you left the meeting. Sign in again to rejoin.'],
      [CloseCode.SIGN_IN_REQUIRED]: ['Sign in to join', 'This meeting is for signed-in people.'],
      [CloseCode.REMOVED]: ['You were removed from the meeting', 'The host removed you from this meeting.'],
      [CloseCode.DENIED]: ['The host did not let you in', 'Someone hosting this meeting turned down your request to join.'],
      [CloseCode.REPLACED]: ['You joined from somewhere else', 'This meeting is open in another tab or device.'],
      [CloseCode.ENDED]: ['This meeting has ended', 'The host ended the meeting for everyone.'],
      [CloseCode.LOCKED]: ['This meeting is locked', 'The host has locked this meeting.'],
      [CloseCode.INVALID_TOKEN]: ['Your invitation is no longer valid', 'Open the invite link again to join.'],
      [CloseCode.UNKNOWN_MEETING]: ['Meeting not found', 'No meeting has this code.'],
    }[detail.code] ?? ['You left the meeting', null];
    message(root, heading, text, [homeLink()]);
  });

  // ---- timers: the clock, the active speaker, network quality ----
  const clockTimer = setInterval(() => { clock.textContent = elapsed(startedAt); }, 1000);

  const peaks = new PeakLevels();
  const levelTimer = setInterval(() => {
    for (const tile of stage.tiles.values()) {
      if (tile.element.dataset.mic !== 'on') continue;
      // WebAudio on a remote track has been seen to read silence in Chromium: RTP's own level counts too
      peaks.note(tile.id, tile.self ? tile.level?.level() ?? 0 : Math.max(tile.level?.level() ?? 0, conn.audioLevel(tile.id)));
    }
  }, LEVEL_READ_MS);

  const speakerTimer = setInterval(() => {
    const levels = [...stage.tiles.values()].map((tile) => {
      const peak = peaks.take(tile.id);
      return { id: tile.id, self: tile.self, level: tile.element.dataset.mic !== 'on' ? 0 : peak };
    });
    const { loudest, changed } = speaking.sample(levels);
    for (const tile of stage.tiles.values()) tile.element.classList.toggle('speaking', tile.id === loudest);
    if (changed) stage.setSpeaker(speaking.speaker);
    replan();
  }, 300);

  const qualityTimer = setInterval(async () => {
    for (const tile of [...stage.tiles.values()].filter((t) => !t.self)) {
      const stats = await conn.stats(tile.id).catch(() => null);
      if (!meters.has(tile.id)) meters.set(tile.id, new QualityMeter());
      const figures = meters.get(tile.id).sample(stats, tile.hasVideo && tile.received);
      if (figures) tile.setQuality(figures);
    }
  }, 2000);

  /** Which videos this page receives, and in what layer (videoplan.js); name tiles for the others. */
  function replan() {
    const remote = [...conn.participants.values()];
    const featured = stage.featured();
    const { shown, layers } = planVideos({
      order: remote.map((p) => p.id),
      withVideo: new Set(remote.filter((p) => p.video || p.screen).map((p) => p.id)),
      screens: new Set(remote.filter((p) => p.screen).map((p) => p.id)),
      speaker: speaking.speaker,
      lastSpoke: speaking.lastSpoke,
      heights: new Map([...stage.tiles].map(([id, tile]) => [id, tile.element.clientHeight])),
      featured,
      maxVideos: prefs.get().maxVideos ?? MAX_VIDEOS,
    });
    const limited = conn.mode === 'sfu';
    for (const p of remote) stage.get(p.id)?.setReceived(!limited || shown.has(p.id) || !(p.video || p.screen));
    conn.setVideoPlan(layers);
  }

  function leave() {
    if (left) return;
    left = true;
    clearInterval(levelTimer);
    clearInterval(speakerTimer);
    clearInterval(clockTimer);
    clearInterval(qualityTimer);
    document.removeEventListener('keydown', onKey);
    navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
    conn.leave();
    screenTrack?.stop();
    stream.getTracks().forEach((t) => t.stop());
    stage.tiles.forEach((t) => t.remove());
    stage.close();
    if (window.confabMeeting === conn) delete window.confabMeeting;
  }

  // the connection re-sends the last reported state after every welcome, the first one included
  conn.reportMedia({ audio: state.audio, video: state.video, screen: state.screen });
  conn.connect();
  return leave;
}
