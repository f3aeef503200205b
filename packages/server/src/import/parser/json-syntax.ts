/** Where a text stops being JSON, and why, in words: `JSON.parse` gives neither reliably (no position for an unexpected token). */
export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in characters of that line. */
  column: number;
  message: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

function shown(text: string, at: number): string {
  const c = text.codePointAt(at);
  if (c === undefined) return 'the end of the text';
  if (c < 0x20) return `a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
  return c === 0x22 ? `'"'` : `"${String.fromCodePoint(c)}"`;
}

/** Line and column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * The first syntax error of a text that `JSON.parse` refused, located by line and column; null when the
 * text is JSON. One pass, no recursion (nesting depth costs nothing but a stack entry).
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const fail = (offset: number, message: string): JsonSyntaxError => ({ ...position(text, offset), message });
  const stack: ('{' | '[')[] = [];
  let state: 'value' | 'key' | 'colon' | 'after' = 'value';
  let opened = false; // just after "{" or "[": the closer is allowed
  let i = 0;

  /** Scans the string starting at `at` (a quote); returns the offset after it, or the error. */
  const string = (at: number): number | JsonSyntaxError => {
    for (let j = at + 1; j < text.length; j++) {
      const c = text[j]!;
      if (c === '"') return j + 1;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === 'u') {
          if (!HEX4.test(text.slice(j + 2, j + 6))) return fail(j, 'a \\u escape needs four hexadecimal digits');
          j += 5;
        } else if (next !== undefined && ESCAPES.has(next)) j++;
        else return fail(j, `${shown(text, j + 1)} cannot follow a backslash in a string (write \\\\ for a backslash)`);
      } else if (c.charCodeAt(0) < 0x20) {
        return fail(j, c === '\n' ? 'a line break inside a string: is a closing " missing?' : `${shown(text, j)} inside a string (write it as a \\u escape)`);
      }
    }
    return fail(at, 'a string that starts here never ends: a closing " is missing');
  };
  const closer = () => (stack[stack.length - 1] === '[' ? 'array' : 'object');

  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= text.length) {
      if (state === 'after' && stack.length === 0) return null;
      if (stack.length === 0) return fail(i, text.trim() === '' ? 'the text is empty' : 'the text ends where a value should be');
      return fail(i, `the text ends before the ${closer()} is closed: a "${closer() === 'array' ? ']' : '}'}" is missing`);
    }
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (state === 'value') {
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        state = c === '{' ? 'key' : 'value';
        opened = true;
        continue;
      }
      if (c === ']' && top === '[') {
        if (!opened) return fail(i, 'a "," is followed by "]": remove the trailing comma');
        stack.pop();
        i++;
      } else if (c === '"') {
        const end = string(i);
        if (typeof end !== 'number') return end;
        i = end;
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail(i, `${shown(text, i)} does not start a number`);
        i = NUMBER.lastIndex;
      } else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else return fail(i, `expected a value (a string in double quotes, a number, true, false, null, an object or an array), found ${shown(text, i)}`);
      state = 'after';
      opened = false;
    } else if (state === 'key') {
      if (c === '}') {
        if (!opened) return fail(i, 'a "," is followed by "}": remove the trailing comma');
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '"') {
        const end = string(i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'colon';
      } else return fail(i, `expected a field name in double quotes, found ${shown(text, i)}`);
      opened = false;
    } else if (state === 'colon') {
      if (c !== ':') return fail(i, `expected ":" after a field name, found ${shown(text, i)}`);
      i++;
      state = 'value';
    } else {
      if (top === undefined) return fail(i, `${shown(text, i)} after the end of the JSON value`);
      if (c === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        i++;
      } else if (top === '{') return fail(i, `expected "," or "}" after a field's value, found ${shown(text, i)}`);
      else return fail(i, `expected "," or "]" after an array item, found ${shown(text, i)}`);
    }
  }
}

/** A field given twice in one JSON object: `JSON.parse` keeps the last silently, so the first would vanish. */
export interface DuplicateKey {
  /** Where the repeated field is: the object's path, then the field's name. */
  at: (string | number)[];
  key: string;
  /** Of the second occurrence; 1-based. */
  line: number;
  column: number;
}

/** Duplicates a scan reports at most (the rest of the text is still scanned, in linear time). */
const MAX_DUPLICATES = 100;

/**
 * Every field repeated within one object of a text that is JSON (`JSON.parse` accepted it), in the
 * order of the text, up to a limit. One pass, no recursion; strings are skipped with indexOf and a
 * field name is decoded only when it holds an escape, so that `"a"` and `"\u0061"` are one name.
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: { at: (string | number)[]; key: string; offset: number }[] = [];
  const names: (Set<string> | null)[] = []; // per open container: an object's field names, null for an array
  const at: (string | number)[] = []; // per open container: the current field name or array index
  let expectName = false;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0 || end === -1) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) break; // not JSON after all: JSON.parse reports it
      if (expectName) {
        const top = names.length - 1;
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        const seen = names[top]!;
        if (seen.has(key)) {
          if (found.length < MAX_DUPLICATES) found.push({ at: [...at.slice(0, top), key], key, offset: i });
        } else seen.add(key);
        at[top] = key;
        expectName = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b) {
      names.push(new Set());
      at.push('');
      expectName = true;
    } else if (c === 0x5b) {
      names.push(null);
      at.push(0);
    } else if (c === 0x7d || c === 0x5d) {
      names.pop();
      at.pop();
      expectName = false;
    } else if (c === 0x2c) {
      const top = names.length - 1;
      if (names[top]) expectName = true;
      else if (top >= 0) at[top] = (at[top] as number) + 1;
    }
    i++;
  }
  // Lines and columns in one more pass over the text, not one per duplicate.
  let line = 1;
  let start = 0;
  let from = 0;
  return found.map((d) => {
    for (let nl = text.indexOf('\n', from); nl !== -1 && nl < d.offset; nl = text.indexOf('\n', nl + 1)) {
      line++;
      start = nl + 1;
      from = nl + 1;
    }
    return { at: d.at, key: d.key, line, column: d.offset - start + 1 };
  });
}

/** Objects of a parsed value that held repeated fields (their names and places), and every container above them. */
const repeatedFields = new WeakMap<object, DuplicateKey[]>();
const holdsRepeats = new WeakSet<object>();

/**
 * JSON.parse, remembering which objects of the result had a field given twice (for a bundle that
 * arrives already parsed, as the importBundle mutation's argument does): see duplicateFieldsIn.
 */
export function parseJsonNotingDuplicates(text: string): unknown {
  const value: unknown = JSON.parse(text);
  for (const d of findDuplicateKeys(text)) {
    let node: unknown = value;
    for (const segment of d.at.slice(0, -1)) {
      if (typeof node !== 'object' || node === null) break;
      holdsRepeats.add(node);
      node = (node as Record<string | number, unknown>)[segment];
    }
    if (typeof node !== 'object' || node === null) continue;
    holdsRepeats.add(node);
    const list = repeatedFields.get(node) ?? [];
    if (!list.some((other) => other.key === d.key)) list.push(d);
    repeatedFields.set(node, list);
  }
  return value;
}

/** The repeated fields parseJsonNotingDuplicates saw inside `value`, with paths from `value` (`['statements', 0, 'title']`). */
export function duplicateFieldsIn(value: unknown): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const visit = (node: unknown, at: (string | number)[]) => {
    if (typeof node !== 'object' || node === null || !holdsRepeats.has(node)) return;
    for (const d of repeatedFields.get(node) ?? []) out.push({ ...d, at: [...at, d.key] });
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...at, i]));
    else for (const [key, item] of Object.entries(node)) visit(item, [...at, key]);
  };
  visit(value, []);
  return out;
}
