// The room's building blocks for controls: toolbar buttons with an icon and a label, pop-up menus, and the
// keyboard-shortcut help dialog. Every control has an accessible name and is reachable by keyboard.
import { h, replace } from './dom.js';
import { icon } from './icons.js';

/**
 * A toolbar button: icon and visible label (phones hide the label visually; it stays the accessible name), and
 * a tooltip that names the shortcut.
 */
export function toolButton({ iconName, label, shortcut = null, pressed = null, className = '' }) {
  const text = h('span', { class: 'tool-label' }, label);
  const button = h('button', {
    type: 'button', class: `tool ${className}`.trim(),
    'aria-pressed': pressed === null ? null : String(pressed),
    title: shortcut ? `${label} (${shortcut})` : label,
    'aria-keyshortcuts': shortcut ? shortcut.replace(/\s/g, '') : null,
  }, icon(iconName), text);
  button.setLabel = (newLabel, newIcon = null) => {
    text.textContent = newLabel;
    button.title = shortcut ? `${newLabel} (${shortcut})` : newLabel;
    if (newIcon) button.querySelector('svg').replaceWith(icon(newIcon));
  };
  return button;
}

/**
 * A pop-up menu opened by `trigger`. `items()` is called at each opening and returns
 * [{label, onSelect, checked?, danger?, disabled?}] (null entries are left out).
 */
export class Menu {
  constructor(trigger, items, { label }) {
    this.trigger = trigger;
    this.items = items;
    this.element = h('div', { class: 'menu', role: 'menu', 'aria-label': label, hidden: true });
    trigger.setAttribute('aria-haspopup', 'menu');
    trigger.setAttribute('aria-expanded', 'false');
    trigger.addEventListener('click', (event) => {
      event.stopPropagation();
      if (this.element.hidden) this.open();
      else this.close();
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.onOutside = (event) => {
      if (!this.element.contains(event.target) && event.target !== trigger) this.close();
    };
  }

  open() {
    const entries = this.items().filter(Boolean);
    replace(this.element, entries.map((item) => {
      const button = h('button', {
        type: 'button', class: `menu-item${item.danger ? ' danger' : ''}`,
        role: item.checked === undefined ? 'menuitem' : 'menuitemradio',
        'aria-checked': item.checked === undefined ? null : String(Boolean(item.checked)),
        disabled: item.disabled || null,
      }, item.label);
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        this.close({ focusTrigger: !item.keepsFocus });
        item.onSelect();
      });
      return button;
    }));
    this.element.hidden = false;
    this.trigger.setAttribute('aria-expanded', 'true');
    this.element.querySelector('button:not([disabled])')?.focus();
    document.addEventListener('click', this.onOutside);
  }

  close({ focusTrigger = false } = {}) {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.trigger.setAttribute('aria-expanded', 'false');
    document.removeEventListener('click', this.onOutside);
    if (focusTrigger) this.trigger.focus();
  }

  onKey(event) {
    const buttons = [...this.element.querySelectorAll('button:not([disabled])')];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close({ focusTrigger: true });
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (at + (event.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length;
      buttons[next]?.focus();
    } else if (event.key === 'Tab') {
      this.close();
    }
  }
}

/** A modal dialog listing the keyboard shortcuts ([{keys, what}]). */
export function shortcutsDialog(shortcuts) {
  const close = h('button', { type: 'button', class: 'dialog-close', 'aria-label': 'Close' }, icon('close'));
  const dialog = h('dialog', { class: 'dialog shortcuts', 'aria-labelledby': 'shortcuts-title' },
    h('div', { class: 'dialog-head' }, h('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'), close),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Keys'), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', {}, shortcuts.map((s) => h('tr', {}, h('td', {}, h('kbd', {}, s.keys)), h('td', {}, s.what))))));
  close.addEventListener('click', () => dialog.close());
  return dialog;
}
