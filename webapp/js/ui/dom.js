// Builds DOM nodes. Strings always become text nodes (never HTML), so names and chat cannot inject markup.

/**
 * h('button', {class: 'primary', type: 'button', onclick: fn, 'aria-pressed': 'true'}, 'Text', childNode)
 * Attributes starting with "on" are listeners; `null`/`false` attributes are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A labelled form field: <label>Text <input …></label>. */
export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** A message area for errors/notices; `show(text)` fills it, `show(null)` clears it. */
export function notice(role = 'alert') {
  const element = h('p', { class: 'notice', role, hidden: true });
  element.show = (text) => {
    element.textContent = text ?? '';
    element.hidden = !text;
  };
  return element;
}
