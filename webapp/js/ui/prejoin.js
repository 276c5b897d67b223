// The pre-join screen of an invite link /m/<code>: camera preview, devices, name, then Join meeting.
import { api, session, ApiError } from '../api.js';
import { listDevices, openLocalMedia, prefs } from '../media.js';
import { gatherPaths, pathList, verdict } from '../netcheck.js';
import { h, field, notice, replace } from './dom.js';
import { message, homeLink, page, signInMethods, companyButton } from './pages.js';
import { room } from './room.js';

function toggle(label, pressed, onChange) {
  const button = h('button', { type: 'button', class: 'toggle', 'aria-pressed': String(pressed) }, label);
  button.addEventListener('click', () => {
    const next = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(next));
    onChange(next);
  });
  return button;
}

export function meetingUnavailable(root, error) {
  if (error instanceof ApiError && error.status === 404) {
    message(root, 'Meeting not found', 'No meeting has this code. Check the link you were sent.', [homeLink()]);
  } else if (error instanceof ApiError && error.status === 410) {
    message(root, 'This meeting has ended', 'The host ended this meeting.', [homeLink()]);
  } else {
    message(root, 'Something went wrong', error.message, [homeLink()]);
  }
}

/**
 * Who may join, said before one tries, with a way to sign in where it matters: a meeting for signed-in people
 * (guests cannot join), or for the organisation (its people walk in; others wait until the host lets them in).
 */
async function accessExplanation(meeting, signedIn) {
  if (meeting.access !== 'signed-in' && meeting.access !== 'organisation') return null;
  const company = signedIn?.user.company;
  if (meeting.access === 'organisation' && company) return null;
  if (meeting.access === 'signed-in' && signedIn) return null;
  const methods = await signInMethods();
  const here = location.pathname;
  const ways = [
    methods.company ? companyButton(methods.company, here) : null,
    methods.localAccounts && meeting.access === 'signed-in'
      ? h('a', { class: 'button', href: `/signin?next=${encodeURIComponent(here)}`, 'data-nav': true }, 'Sign in') : null,
  ].filter(Boolean);
  const text = meeting.access === 'signed-in'
    ? 'This meeting is for signed-in people only. Sign in to join it.'
    : 'This meeting is for people of the organisation: sign in with your company account to go straight in. '
      + 'Anyone else waits until the host lets them in.';
  return h('div', { class: 'access-hint', 'data-access': meeting.access },
    h('p', { class: 'hint' }, text), ways.length ? h('div', { class: 'actions' }, ...ways) : null);
}

/** Renders the pre-join screen; returns a cleanup function (stops the preview). */
export async function prejoin(root, code) {
  replace(root, h('p', { class: 'loading' }, 'Opening the meeting…'));
  let meeting;
  try {
    meeting = await api.meeting(code);
  } catch (e) {
    meetingUnavailable(root, e);
    return undefined;
  }
  if (meeting.status === 'ended') {
    meetingUnavailable(root, new ApiError(410, 'meeting_ended', 'This meeting has ended'));
    return undefined;
  }

  let stream = new MediaStream();
  let micOn = true;
  let camOn = true;
  let joining = false;
  let leaveRoom = null;
  const preview = h('video', { class: 'preview mirrored', autoplay: true, playsinline: true, muted: true });
  preview.muted = true;
  const placeholder = h('div', { class: 'preview-off', hidden: true }, 'Camera is off');
  const mediaNotice = notice('status');
  const error = notice();
  const micButton = toggle('Microphone', true, (on) => {
    micOn = on;
    stream.getAudioTracks().forEach((t) => { t.enabled = on; });
  });
  const camButton = toggle('Camera', true, (on) => {
    camOn = on;
    stream.getVideoTracks().forEach((t) => { t.enabled = on; });
    placeholder.hidden = on && stream.getVideoTracks().length > 0;
  });
  const cameraSelect = h('select', { name: 'camera' });
  const micSelect = h('select', { name: 'microphone' });
  const name = h('input', { name: 'displayName', autocomplete: 'name', maxlength: 64, required: true,
    value: session.get()?.user.displayName ?? '' });
  const join = h('button', { type: 'submit', class: 'primary' }, 'Join meeting');

  // the camera may take a while: Join waits for the acquisition in progress instead of joining without media
  let acquiring = Promise.resolve();
  function acquire() {
    acquiring = openPreview();
    return acquiring;
  }

  async function openPreview() {
    stream.getTracks().forEach((t) => t.stop());
    const chosen = prefs.get();
    const result = await openLocalMedia({ audioDeviceId: chosen.microphone, videoDeviceId: chosen.camera });
    stream = result.stream;
    preview.srcObject = stream;
    mediaNotice.show(result.problem);
    stream.getAudioTracks().forEach((t) => { t.enabled = micOn; });
    stream.getVideoTracks().forEach((t) => { t.enabled = camOn; });
    micButton.disabled = stream.getAudioTracks().length === 0;
    camButton.disabled = stream.getVideoTracks().length === 0;
    placeholder.hidden = camOn && stream.getVideoTracks().length > 0;
    await fillDevices();
  }

  async function fillDevices() {
    const { cameras, microphones } = await listDevices();
    const current = (kind) => stream.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId;
    replace(cameraSelect, cameras.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current('video') }, d.label || `Camera ${i + 1}`)));
    replace(micSelect, microphones.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current('audio') }, d.label || `Microphone ${i + 1}`)));
    cameraSelect.disabled = cameras.length === 0;
    micSelect.disabled = microphones.length === 0;
  }

  cameraSelect.addEventListener('change', () => { prefs.update({ camera: cameraSelect.value }); acquire(); });
  micSelect.addEventListener('change', () => { prefs.update({ microphone: micSelect.value }); acquire(); });

  // the connection check: which paths media can take from here, in words
  const checkVerdict = h('p', { class: 'check-verdict', role: 'status', 'data-level': 'running' }, 'Checking your connection…');
  const checkPaths = h('ul', { class: 'check-paths', 'aria-label': 'Paths media can take' });
  const checkAgain = h('button', { type: 'button', class: 'quiet', disabled: true }, 'Check again');
  const connectionCheck = h('section', { class: 'card connection-check', 'aria-labelledby': 'check-title' },
    h('h2', { id: 'check-title' }, 'Connection check'), checkVerdict, checkPaths, checkAgain);
  async function runCheck() {
    checkAgain.disabled = true;
    checkVerdict.dataset.level = 'running';
    checkVerdict.textContent = 'Checking your connection…';
    replace(checkPaths);
    try {
      const paths = await gatherPaths(await api.connectionCheck(code));
      const result = verdict(paths);
      checkVerdict.dataset.level = result.level;
      checkVerdict.textContent = result.text;
      replace(checkPaths, pathList(paths).map((p) => h('li', { 'data-state': p.state }, `${p.name}: ${p.state}`)));
    } catch (e) {
      checkVerdict.dataset.level = 'bad';
      checkVerdict.textContent = `The connection check could not run: ${e.message}`;
    } finally {
      checkAgain.disabled = false;
    }
  }
  checkAgain.addEventListener('click', runCheck);

  const signedIn = session.get();
  const accessHint = await accessExplanation(meeting, signedIn);
  const form = h('form', { class: 'card join-form' },
    h('h1', {}, meeting.title ?? 'Meeting'),
    h('p', { class: 'meta' }, `Hosted by ${meeting.host.displayName} · ${meeting.code}`),
    meeting.lobby ? h('p', { class: 'hint lobby-hint' }, 'This meeting has a waiting room: the host lets you in after you join.') : null,
    accessHint,
    field('Display name', name),
    error,
    join);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (joining) return;
    joining = true;
    join.disabled = true;
    error.show(null);
    try {
      await acquiring;
      const joined = await api.join(code, name.value.trim());
      joining = 'done';
      leaveRoom = room(root, { code, meeting: joined.meeting, joined, stream, micOn, camOn });
    } catch (e) {
      joining = false;
      join.disabled = false;
      if (e instanceof ApiError && e.code === 'sign_in_required') {
        error.show('This meeting is for signed-in people: sign in first, then join.');
      } else if (e instanceof ApiError && e.status === 401) {
        session.clear(); // an expired login: join as a guest instead
        error.show('Your sign-in has expired; you can join as a guest or sign in again.');
      } else if (e instanceof ApiError && (e.status === 404 || e.status === 410)) {
        stream.getTracks().forEach((t) => t.stop());
        meetingUnavailable(root, e);
      } else if (e instanceof ApiError && e.status === 423) {
        error.show('The host has locked this meeting. Ask them to unlock it.');
      } else if (e instanceof ApiError && e.code === 'removed') {
        error.show('The host removed you from this meeting. Only the host can let you back in.');
      } else {
        error.show(e.message);
      }
    }
  });

  page(root, 'prejoin',
    h('section', { class: 'preview-box' },
      h('div', { class: 'preview-frame' }, preview, placeholder),
      h('div', { class: 'preview-controls' }, micButton, camButton),
      field('Choose camera', cameraSelect),
      field('Choose microphone', micSelect),
      mediaNotice),
    h('div', { class: 'prejoin-side' }, form, connectionCheck));
  runCheck();
  if (!name.value) name.focus();
  await acquire();

  // navigating away stops the preview, or leaves the meeting
  return () => {
    if (leaveRoom) leaveRoom();
    else stream.getTracks().forEach((t) => t.stop());
  };
}

