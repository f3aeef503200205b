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
