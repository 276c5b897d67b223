// REST calls to Confab's API (docs/api.md) and the signed-in session. No DOM.

const SESSION_KEY = 'confab.session';

/** A refusal from the API: HTTP status, machine code and a message fit to show. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'Confab cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error ?? `http_${response.status}`, data?.message ?? response.statusText);
  }
  return data;
}

/** The signed-in user's login, kept across reloads. */
export const session = {
  get() {
    try {
      const stored = JSON.parse(localStorage.getItem(SESSION_KEY));
      if (stored && new Date(stored.expiresAt) > new Date()) return stored;
    } catch (e) {
      // unreadable: treat as signed out
    }
    localStorage.removeItem(SESSION_KEY);
    return null;
  },
  set(login) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(login));
  },
  clear() {
    localStorage.removeItem(SESSION_KEY);
  },
};

const token = () => session.get()?.token;

/**
 * A guest's key for one meeting, kept by this browser: the server bans it if the host removes this guest, so
 * that a removed guest cannot walk back in with the same link (until the host lifts the ban).
 */
const guestKeys = {
  get: (code) => localStorage.getItem(`confab.guest.${code}`),
  set: (code, key) => localStorage.setItem(`confab.guest.${code}`, key),
};

async function join(code, displayName) {
  const key = guestKeys.get(code);
  const joined = await call('POST', `meetings/${encodeURIComponent(code)}/participants`,
    { ...(displayName ? { displayName } : {}), ...(key ? { guestKey: key } : {}) }, token());
  if (joined.guestKey) guestKeys.set(code, joined.guestKey);
  return joined;
}

export const api = {
  /** How one may sign in here: {localAccounts, company: {label, start} | null}. */
  methods: () => call('GET', 'auth/methods'),
  /** The sign-in page's half of a company sign-in: the one-time hand-off code for a session. */
  companySession: (handoff) => call('POST', 'auth/oidc/session', { handoff }),
  register: (username, password, displayName) =>
    call('POST', 'auth/register', { username, password, ...(displayName ? { displayName } : {}) }),
  login: (username, password) => call('POST', 'auth/login', { username, password }),
  logout: () => call('POST', 'auth/logout', undefined, token()),
  createMeeting: ({ title, lobby, access } = {}) => call('POST', 'meetings',
    { ...(title ? { title } : {}), lobby: Boolean(lobby), ...(access ? { access } : {}) }, token()),
  meeting: (code) => call('GET', `meetings/${encodeURIComponent(code)}`),
  connectionCheck: (code) => call('POST', 'ice/check', { meeting: code }),
  join,
  end: (code) => call('POST', `meetings/${encodeURIComponent(code)}/end`, undefined, token()),
  history: () => call('GET', 'me/meetings?limit=20', undefined, token()),
};
