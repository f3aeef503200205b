import { duplicateFieldsIn, findDuplicateKeys, findJsonSyntaxError, parseJsonNotingDuplicates } from './json-syntax';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": }', 1, 7, 'expected a value (a string in double quotes, a number, true, false, null, an object or an array), found "}"'],
    ['{"a": 1,}', 1, 9, 'a "," is followed by "}": remove the trailing comma'],
    ['[1, 2,]', 1, 7, 'a "," is followed by "]": remove the trailing comma'],
    ['[1 2]', 1, 4, 'expected "," or "]" after an array item, found "2"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, `expected "," or "}" after a field's value, found '"'`],
    ["{'a': 1}", 1, 2, `expected a field name in double quotes, found "'"`],
    ['{"a" 1}', 1, 6, 'expected ":" after a field name, found "1"'],
    ['{"a": "x\n"}', 1, 9, 'a line break inside a string: is a closing " missing?'],
    ['{"a": "\\x"}', 1, 8, '"x" cannot follow a backslash in a string (write \\\\ for a backslash)'],
    ['{"a": "\\u12"}', 1, 8, 'a \\u escape needs four hexadecimal digits'],
    ['{"a": "open', 1, 7, 'a string that starts here never ends: a closing " is missing'],
    ['{"a": tru}', 1, 7, 'expected a value (a string in double quotes, a number, true, false, null, an object or an array), found "t"'],
    ['{"a": -}', 1, 7, '"-" does not start a number'],
    ['{"a": [1, {"b": 2}', 1, 19, 'the text ends before the array is closed: a "]" is missing'],
    ['{} {}', 1, 4, '"{" after the end of the JSON value'],
    ['', 1, 1, 'the text is empty'],
  ])('%j: line %i, column %i', (text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toEqual({ line, column, message });
  });

  it('finds nothing wrong exactly when JSON.parse succeeds (seeded mutations of a bundle)', () => {
    const base = JSON.stringify(
      { format: 'jointly-bundle/1', statements: [{ key: 's-1', title: 'Tab\t"quoted" \\ é \u2028', date: '2020', n: -1.5e3, ok: true, no: null, list: [[], {}, [1, [2]]] }] },
      null,
      2,
    );
    let seed = 20260101;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '1', '-', 'e', 't', 'n', 'u', '.', '0'];
    for (let run = 0; run < 3000; run++) {
      let text = base;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * text.length);
        const op = random();
        const piece = pieces[Math.floor(random() * pieces.length)]!;
        text = op < 0.4 ? text.slice(0, at) + text.slice(at + 1) : op < 0.8 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + piece + text.slice(at + 1);
      }
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect({ text, found: findJsonSyntaxError(text) === null }).toEqual({ text, found: parses });
    }
  });
});

describe('findDuplicateKeys', () => {
  it('finds a field given twice in one object, wherever it is, with its line and column', () => {
    const text = '{"statements": [{"key": "a", "t": 1}, {"key": "b",\n  "title": "x", "sig": [{"s": 1, "s": 2}], "title": "y"}]}';
    expect(findDuplicateKeys(text)).toEqual([
      { at: ['statements', 1, 'sig', 0, 's'], key: 's', line: 2, column: 34 },
      { at: ['statements', 1, 'title'], key: 'title', line: 2, column: 44 },
    ]);
  });

  it('compares names as decoded, and is not fooled by quotes, braces or commas inside strings', () => {
    expect(findDuplicateKeys('{"a": "x\\",{\\"a\\": 1}", "\\u0061": 2}')).toEqual([{ at: ['a'], key: 'a', line: 1, column: 25 }]);
    expect(findDuplicateKeys('{"a": {"b": 1}, "b": [{"a": 1}, {"a": 2}], "c\\\\": "\\\\"}')).toEqual([]);
  });

  it('is linear: a megabyte of fields is scanned without slowing down per field', () => {
    const fields = Array.from({ length: 100_000 }, (_, i) => `"f${i}": ${i}`);
    expect(findDuplicateKeys(`{${fields.join(', ')}, "f7": 0}`)).toEqual([{ at: ['f7'], key: 'f7', line: 1, column: expect.any(Number) as number }]);
  });

  it('remembers, through parseJsonNotingDuplicates, where in the parsed value fields were repeated', () => {
    const value = parseJsonNotingDuplicates('{"variables": {"bundle": {"statements": [{"k": 1, "k": 2}]}}}') as { variables: { bundle: unknown } };
    expect(duplicateFieldsIn(value.variables.bundle)).toEqual([{ at: ['statements', 0, 'k'], key: 'k', line: 1, column: 51 }]);
    expect(duplicateFieldsIn(JSON.parse('{"k": 1, "k": 2}'))).toEqual([]);
  });
});
