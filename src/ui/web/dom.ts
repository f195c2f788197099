// Small DOM helpers: text only through textContent, never HTML strings from the engine.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`#${id} missing from index.html`);
  return e as T;
}

export function emptyState(text: string): HTMLElement {
  return el('p', { class: 'empty-state' }, text);
}

/** A labelled form field with an error slot that a result's `field` fills. */
export function field(form: HTMLElement, name: string, label: string, input: HTMLInputElement | HTMLSelectElement): void {
  input.id = `${form.id}-${name}`;
  input.name = name;
  const error = el('div', { class: 'field-error', id: `${input.id}-error`, role: 'alert' });
  input.setAttribute('aria-describedby', error.id);
  form.append(el('label', { for: input.id }, label), input, error);
}

export function showFieldError(form: HTMLElement, name: string | undefined, message: string): void {
  for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  const input = name === undefined ? null : form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
  const slot = input === null ? form.querySelector('.form-error') : document.getElementById(`${input.id}-error`);
  if (input !== null) input.setAttribute('aria-invalid', 'true');
  if (slot !== null) slot.textContent = message;
}

export function select(options: readonly [string, string][], value: string): HTMLSelectElement {
  const s = el('select');
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  s.value = value;
  return s;
}
