// Client-side navigation between screens without reloading the page.

export function navigate(path, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState']({}, '', path);
  window.dispatchEvent(new Event('confab:route'));
}

/** A meeting code from what someone pasted: a code, or an invite link containing /m/<code>. */
export function meetingCodeFrom(text) {
  const trimmed = (text ?? '').trim();
  const fromLink = trimmed.match(/\/m\/([A-Za-z-]+)/);
  const code = (fromLink ? fromLink[1] : trimmed).toLowerCase();
  return /^[a-z]{3}-?[a-z]{4}-?[a-z]{3}$/.test(code) ? code : null;
}
