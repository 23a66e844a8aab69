/**
 * Ironic's variable interpolation in rule arguments: Python's `str.format` over the names
 * `node`, `inventory`, `plugin_data` (and `item` in a loop), e.g. `{inventory[cpu][count]}` or
 * `{node.properties[cpus]}`. A field that cannot be resolved leaves the whole string as it was.
 * Conversions (`!r`) and format specifications (`:>8`) are not supported: such a field is left
 * as written.
 */

export type FormatContext = Readonly<Record<string, unknown>>;

/** A value as Python's `str()` shows it, which is what `str.format` puts into the text. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pythonReprOf(value);
}

function pythonReprOf(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonReprOf).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${pythonReprOf(k)}: ${pythonReprOf(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

class Unresolved extends Error {}

/** Follows one field name, e.g. `inventory[interfaces][0][mac_address]` or `node.uuid`. */
function resolveField(field: string, context: FormatContext): unknown {
  const head = /^[^.[]+/.exec(field);
  if (!head || !Object.hasOwn(context, head[0])) throw new Unresolved(field);
  let value = context[head[0]];
  let rest = field.slice(head[0].length);
  while (rest.length > 0) {
    let key: string;
    if (rest.startsWith('.')) {
      const m = /^\.([^.[]+)/.exec(rest);
      if (!m) throw new Unresolved(field);
      key = m[1]!;
      rest = rest.slice(m[0].length);
    } else {
      const m = /^\[([^\]]+)\]/.exec(rest);
      if (!m) throw new Unresolved(field);
      key = m[1]!;
      rest = rest.slice(m[0].length);
    }
    value = member(value, key, field);
  }
  return value;
}

function member(container: unknown, key: string, field: string): unknown {
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(key)) throw new Unresolved(field);
    const index = Number(key);
    if (index >= container.length) throw new Unresolved(field);
    return container[index];
  }
  if (container !== null && typeof container === 'object' && Object.hasOwn(container, key)) {
    return (container as Record<string, unknown>)[key];
  }
  throw new Unresolved(field);
}

/**
 * Formats one string; undefined when a field does not resolve (Ironic then keeps the string, or
 * treats it as None for `is-empty`).
 */
export function formatString(text: string, context: FormatContext): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '{' && text[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (ch === '}' && text[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (ch === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) return undefined;
      const field = text.slice(i + 1, end);
      if (field.length === 0 || /[!:]/.test(field)) return undefined;
      try {
        out += pythonStr(resolveField(field, context));
      } catch (error) {
        if (error instanceof Unresolved) return undefined;
        throw error;
      }
      i = end + 1;
    } else if (ch === '}') {
      return undefined;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** What a string interpolates to: the formatted text, or the string itself when it cannot be. */
function interpolateString(text: string, context: FormatContext, emptyIfMissing: boolean) {
  const formatted = formatString(text, context);
  if (formatted !== undefined) return formatted;
  return emptyIfMissing ? null : text;
}

/**
 * Interpolates an argument: strings are formatted, dictionaries (keys too) and lists are walked.
 * In a loop a string is formatted twice, so a loop item may itself name inspection data.
 * `emptyIfMissing` is Ironic's `is-empty` rule: an unresolved field reads as None.
 */
export function interpolate(
  value: unknown,
  context: FormatContext,
  options: { inLoop: boolean; emptyIfMissing: boolean },
): unknown {
  const once = (text: string) => interpolateString(text, context, options.emptyIfMissing);
  if (typeof value === 'string') {
    const first = once(value);
    return options.inLoop && typeof first === 'string' ? once(first) : first;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, context, options));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [pythonStr(once(k)), interpolate(v, context, options)]),
    );
  }
  return value;
}
