// The participants panel: everyone with their role and state, the lobby's Waiting list, those removed, and the
// host's and co-hosts' controls (mute, co-host, remove, allow back, waiting room, lock, end for all).
import { h, replace } from './dom.js';
import { icon } from './icons.js';

export class PeoplePanel {
  /**
   * @param conn       the MeetingConnection (host actions go through conn.host)
   * @param lobbyView  the LobbyView whose Waiting section heads the panel
   * @param closeButton a node that closes the panel
   */
  constructor(conn, lobbyView, { closeButton }) {
    this.conn = conn;
    this.people = h('ul', { class: 'people', 'aria-label': 'Participants' });
    this.removedList = h('ul', { class: 'people removed', 'aria-label': 'Removed' });
    this.removedSection = h('div', { class: 'removed-section', hidden: true }, h('h3', {}, 'Removed'), this.removedList);
    this.controls = h('div', { class: 'host-controls' });
    this.element = h('aside', { class: 'panel participants', 'aria-label': 'Participants', hidden: true },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Participants'), closeButton),
      lobbyView.section, this.people, this.removedSection, this.controls);
  }

  /** `me`: our own row ({id, name, host, cohost, guest, audio, video, screen, hand}); `meeting`: {locked, lobby}. */
  render(me, { locked, lobby }) {
    const conn = this.conn;
    const isHost = me.host;
    const moderator = conn.moderator;
    const rows = [{ ...me, self: true }, ...conn.participants.values()];
    replace(this.people, rows.map((p) => h('li', { class: 'person', 'data-participant': p.id },
      h('span', { class: 'name' }, p.self ? `${p.name} (You)` : p.name),
      p.host ? h('span', { class: 'tag' }, 'Host') : null,
      p.cohost ? h('span', { class: 'tag' }, 'Co-host') : null,
      p.guest ? h('span', { class: 'tag guest' }, 'Guest') : null,
      p.audio ? null : h('span', { class: 'indicator', role: 'img', 'aria-label': 'Microphone off' }, icon('micOff')),
      p.video || p.screen ? null : h('span', { class: 'indicator', role: 'img', 'aria-label': 'Camera off' }, icon('cameraOff')),
      p.hand ? h('span', { class: 'indicator', role: 'img', 'aria-label': 'Hand raised' }, '✋') : null,
      moderator && !p.self ? h('span', { class: 'person-actions' },
        h('button', { type: 'button', 'aria-label': `Mute ${p.name}`, onclick: () => conn.host('mute', p.id) }, 'Mute'),
        isHost && !p.host ? h('button', { type: 'button', 'aria-label': p.cohost ? `Remove ${p.name} as co-host` : `Make ${p.name} co-host`,
          onclick: () => conn.host(p.cohost ? 'uncohost' : 'cohost', p.id) }, p.cohost ? 'Remove co-host' : 'Make co-host') : null,
        isHost || !(p.host || p.cohost) ? h('button', { type: 'button', 'aria-label': `Remove ${p.name}`, onclick: () => conn.host('remove', p.id) }, 'Remove') : null)
        : null)));
    const bans = moderator ? conn.bans : [];
    this.removedSection.hidden = bans.length === 0;
    replace(this.removedList, bans.map((b) => h('li', { class: 'person', 'data-banned': b.id },
      h('span', { class: 'name' }, b.name),
      b.guest ? h('span', { class: 'tag guest' }, 'Guest') : null,
      h('span', { class: 'person-actions' },
        h('button', { type: 'button', 'aria-label': `Allow ${b.name} back`, onclick: () => conn.host('unban', b.id) }, 'Allow back')))));
    replace(this.controls, moderator ? [
      h('button', { type: 'button', 'aria-pressed': String(lobby), onclick: () => conn.host(lobby ? 'lobby-off' : 'lobby-on') },
        lobby ? 'Turn waiting room off' : 'Turn waiting room on'),
      h('button', { type: 'button', 'aria-pressed': String(locked), onclick: () => conn.host(locked ? 'unlock' : 'lock') },
        locked ? 'Unlock meeting' : 'Lock meeting'),
      isHost ? h('button', { type: 'button', class: 'danger', onclick: () => conn.host('end') }, 'End meeting for all') : null,
    ] : []);
  }
}
