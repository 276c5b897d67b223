// The chat panel: the messages (each once, private ones marked), who to send to, and the form. It sends through
// MeetingConnection.chat, which queues while the connection is down.
import { h, replace } from './dom.js';

export class ChatPanel {
  /**
   * @param conn     the MeetingConnection
   * @param selfId   our participant id
   * @param names    Map id -> display name (kept by the room), for private messages' recipients
   * @param options.closeButton a node that closes the panel
   * @param options.onStatus (text) => void: what the room's status line should say
   */
  constructor(conn, selfId, names, { closeButton, onStatus }) {
    this.conn = conn;
    this.selfId = selfId;
    this.names = names;
    this.seen = new Set();
    this.messages = h('ol', { class: 'messages', 'aria-label': 'Chat messages', 'aria-live': 'polite' });
    this.recipient = h('select', { name: 'to', 'aria-label': 'Send to' });
    this.input = h('input', { name: 'message', autocomplete: 'off', maxlength: 2000, 'aria-label': 'Message', placeholder: 'Message everyone' });
    const form = h('form', { class: 'chat-form' }, this.recipient, this.input, h('button', { type: 'submit' }, 'Send'));
    this.element = h('aside', { class: 'panel chat', 'aria-label': 'Chat', hidden: true },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Chat'), closeButton), this.messages, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      if (!conn.chat(text, this.recipient.value || null)) {
        onStatus('Not connected: your message will be sent when the connection is back.');
      }
      this.input.value = '';
    });
  }

  focus() {
    this.input.focus();
  }

  /** Adds a message unless it is shown already (history after a reconnect repeats what arrived live). */
  add(m) {
    if (this.seen.has(m.id)) return;
    this.seen.add(m.id);
    const own = m.from === this.selfId;
    const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const privateNote = m.private
      ? (own ? `to ${this.names.get(m.to) ?? 'someone'} (private)` : 'to you (private)')
      : null;
    this.messages.append(h('li', { class: `message${own ? ' own' : ''}${m.private ? ' private' : ''}`, 'data-message': m.id },
      h('div', { class: 'meta' }, h('span', { class: 'from' }, own ? 'You' : m.name),
        privateNote ? h('span', { class: 'to' }, privateNote) : null,
        h('time', { datetime: m.at }, time)),
      h('p', { class: 'text' }, m.text)));
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  /** The "Send to" list: everyone, or one of the people in the room now. */
  renderRecipients() {
    const chosen = this.recipient.value;
    replace(this.recipient, h('option', { value: '' }, 'Everyone'),
      [...this.conn.participants.values()].map((p) => h('option', { value: p.id, selected: p.id === chosen }, p.name)));
  }
}
