// Landing, sign-in, create-account and home screens, and the one-message screens (not found, ended, ...).
import { api, session, ApiError } from '../api.js';
import { h, field, notice, replace } from './dom.js';
import { navigate, meetingCodeFrom } from './nav.js';

function brand() {
  return h('a', { href: '/', class: 'brand', 'data-nav': true }, 'Confab');
}

/** A screen with the Confab header; `mainClass` styles its main area. */
export function page(root, mainClass, ...content) {
  replace(root, h('div', { class: 'page' }, h('header', { class: 'page-header' }, brand()), h('main', { class: mainClass }, ...content)));
}

function shell(root, ...content) {
  page(root, 'page-main', ...content);
}

/** "Join with a code or link" form, used on the landing and home screens. */
function joinByCode() {
  const input = h('input', { name: 'code', autocomplete: 'off', placeholder: 'abc-defg-hij or invite link', required: true });
  const error = notice();
  const form = h('form', { class: 'join-code' },
    field('Meeting code', input),
    h('button', { type: 'submit' }, 'Join'),
    error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = meetingCodeFrom(input.value);
    if (!code) {
      error.show('That is not a meeting code or invite link. Codes look like abc-defg-hij.');
      return;
    }
    navigate(`/m/${code}`);
  });
  return form;
}

export async function landing(root) {
  const methods = await signInMethods();
  shell(root,
    h('section', { class: 'hero' },
      h('h1', {}, 'Meetings in your browser, on your own server'),
      h('p', { class: 'lead' }, 'Video, audio, screen sharing and chat. Nothing to install: share a link and talk.'),
      h('div', { class: 'actions' },
        methods.company ? companyButton(methods.company, '/home') : null,
        methods.localAccounts ? h('button', { type: 'button', class: methods.company ? '' : 'primary', onclick: () => navigate('/signin') }, 'Sign in') : null,
        methods.localAccounts ? h('button', { type: 'button', onclick: () => navigate('/register') }, 'Create account') : null)),
    h('section', { class: 'card' }, h('h2', {}, 'Got an invite?'), joinByCode()));
}

let knownMethods = null;

/**
 * How one may sign in here, asked once per page load (it changes only with the server's settings); when it
 * cannot be asked, what works without company sign-in, and the next screen asks again.
 */
export async function signInMethods() {
  if (knownMethods) return knownMethods;
  try {
    knownMethods = await api.methods();
    return knownMethods;
  } catch (e) {
    return { localAccounts: true, company: null };
  }
}

/** The "Sign in with …" link: a plain navigation to the server, which sends the browser on to the provider. */
export function companyButton(company, next) {
  return h('a', { class: 'button primary company-sign-in', href: `${company.start}?next=${encodeURIComponent(next)}` }, company.label);
}

function nextPath() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/home';
}

export async function signIn(root) {
  const handoff = new URLSearchParams(location.hash.slice(1)).get('handoff');
  if (handoff) {
    await finishCompanySignIn(root, handoff);
    return;
  }
  const methods = await signInMethods();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = notice();
  const submit = h('button', { type: 'submit', class: methods.company ? '' : 'primary' }, 'Sign in');
  const form = h('form', { class: 'card form' },
    h('h1', {}, 'Sign in'),
    methods.company ? companyButton(methods.company, nextPath()) : null,
    methods.company && methods.localAccounts ? h('p', { class: 'or' }, 'or with a Confab account') : null,
    ...(methods.localAccounts ? [
      field('Username', username),
      field('Password', password),
      error,
      submit,
      h('p', {}, 'No account yet? ', h('a', { href: '/register', 'data-nav': true }, 'Create one'))] : []));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.show(null);
    try {
      session.set(await api.login(username.value, password.value));
      navigate(nextPath(), { replace: true });
    } catch (e) {
      error.show(e instanceof ApiError && e.status === 401 ? 'Wrong username or password.' : e.message);
      submit.disabled = false;
    }
  });
  shell(root, form);
  if (methods.localAccounts) username.focus();
}

/** Back from the company's provider: the one-time code in the fragment becomes this page's session. */
async function finishCompanySignIn(root, handoff) {
  history.replaceState(null, '', '/signin'); // the code is single-use; keep it out of the history
  shell(root, h('p', { class: 'loading' }, 'Signing you in…'));
  try {
    const login = await api.companySession(handoff);
    session.set(login);
    navigate(login.next || '/home', { replace: true });
  } catch (e) {
    message(root, 'You are not signed in', e.message, [h('a', { href: '/signin', 'data-nav': true, class: 'button primary' }, 'Try again')]);
  }
}

export function register(root) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32 });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const displayName = h('input', { name: 'displayName', autocomplete: 'name', maxlength: 64 });
  const error = notice();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create account');
  const form = h('form', { class: 'card form' },
    h('h1', {}, 'Create account'),
    field('Username', username),
    h('p', { class: 'hint' }, '3–32 letters, digits, dots, dashes or underscores.'),
    field('Password', password),
    h('p', { class: 'hint' }, 'At least 8 characters.'),
    field('Display name', displayName),
    error,
    submit,
    h('p', {}, 'Already have an account? ', h('a', { href: '/signin', 'data-nav': true }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.show(null);
    try {
      await api.register(username.value.trim(), password.value, displayName.value.trim());
      session.set(await api.login(username.value.trim(), password.value));
      navigate(nextPath(), { replace: true });
    } catch (e) {
      error.show(e.message);
      submit.disabled = false;
    }
  });
  shell(root, form);
  username.focus();
}

export async function home(root) {
  const current = session.get();
  if (!current) {
    navigate('/signin', { replace: true });
    return;
  }
  const error = notice();
  const newMeeting = h('button', { type: 'button', class: 'primary' }, 'New meeting');
  const meetingTitle = h('input', { name: 'title', maxlength: 120, autocomplete: 'off', placeholder: 'e.g. Weekly planning' });
  const lobby = h('input', { type: 'checkbox', name: 'lobby', class: 'checkbox' });
  const methods = await signInMethods();
  const access = h('select', { name: 'access' },
    h('option', { value: 'anyone' }, 'Anyone with the link'),
    h('option', { value: 'signed-in' }, 'Signed-in people only'),
    methods.company ? h('option', { value: 'organisation' }, 'People of my organisation (others wait in the waiting room)') : null);
  newMeeting.addEventListener('click', async () => {
    newMeeting.disabled = true;
    try {
      const meeting = await api.createMeeting({ title: meetingTitle.value.trim(), lobby: lobby.checked, access: access.value });
      navigate(`/m/${meeting.code}`);
    } catch (e) {
      expiredOr(e, () => error.show(e.message));
      newMeeting.disabled = false;
    }
  });
  const signOut = h('button', { type: 'button', class: 'quiet' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    let result = null;
    try {
      result = await api.logout();
    } catch (e) {
      // signing out locally is what matters
    }
    session.clear();
    if (result?.providerLogout) location.assign(result.providerLogout); // and out of the company's provider too
    else navigate('/', { replace: true });
  });
  const history = h('ol', { class: 'history', 'aria-label': 'Meeting history' }, h('li', { class: 'hint' }, 'Loading…'));
  shell(root,
    h('section', { class: 'home-top' },
      h('h1', {}, `Hello, ${current.user.displayName}`),
      signOut),
    current.user.mayCreateMeetings === false
      ? h('section', { class: 'card' }, h('h2', {}, 'Start a meeting'),
        h('p', { class: 'hint' }, 'Your organisation lets only some people create meetings. You can join any meeting you are invited to.'))
      : h('section', { class: 'card' }, h('h2', {}, 'Start a meeting'),
        field('Title (optional)', meetingTitle),
        field('Who may join', access),
        h('label', { class: 'check' }, lobby, h('span', {}, 'Waiting room: I let people in myself')),
        newMeeting, error),
    h('section', { class: 'card' }, h('h2', {}, 'Join with a code or link'), joinByCode()),
    h('section', { class: 'card' }, h('h2', {}, 'Your meetings'), history));
  try {
    const entries = await api.history();
    replace(history, entries.length === 0 ? h('li', { class: 'hint' }, 'No meetings yet.') : entries.map(historyEntry));
  } catch (e) {
    expiredOr(e, () => replace(history, h('li', { class: 'notice' }, e.message)));
  }
}

function historyEntry(entry) {
  const when = new Date(entry.joinedAt).toLocaleString();
  return h('li', { class: 'history-entry' },
    h('span', { class: 'title' }, entry.title ?? entry.code),
    h('span', { class: 'meta' }, `${entry.role === 'host' ? 'Host' : 'Guest'} · ${when} · ${entry.code}`),
    entry.status === 'open'
      ? h('a', { href: `/m/${entry.code}`, 'data-nav': true, class: 'rejoin' }, 'Rejoin')
      : h('span', { class: 'ended' }, 'Ended'));
}

/** A stale login sends the user to sign in again; other errors are handled by `otherwise`. */
function expiredOr(error, otherwise) {
  if (error instanceof ApiError && error.status === 401) {
    session.clear();
    navigate(`/signin?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  } else {
    otherwise();
  }
}

/** A screen with one message and ways on. */
export function message(root, title, text, actions = []) {
  shell(root, h('section', { class: 'card message', 'data-screen': 'message' },
    h('h1', {}, title),
    text ? h('p', {}, text) : null,
    h('div', { class: 'actions' }, ...actions)));
}

export function homeLink() {
  return h('a', { href: session.get() ? '/home' : '/', 'data-nav': true, class: 'button' }, session.get() ? 'Go to your meetings' : 'Go to the start page');
}

export function notFound(root) {
  message(root, 'Page not found', 'There is nothing at this address.', [homeLink()]);
}
