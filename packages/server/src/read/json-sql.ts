import type { NodeType } from '../common/global-id';

/**
 * SQL expressions that write JSON text exactly as the API's JavaScript would (JSON.stringify,
 * toGlobalId, encodeCursor, formatPartialDate, DateTime's ISO form): the read planner's leaves.
 * Every expression here yields text and never NULL (`null` is the JSON text null), so that the
 * pieces of an object concatenate with `||`.
 *
 * PostgreSQL's `to_json` escapes strings as JSON.stringify does (`"` `\` and control characters,
 * `\u001f` in lower case; nothing else), and writes numbers and booleans alike, so concatenated
 * text is the compact JSON graphql-js would have produced.
 */

/** A SQL string literal. */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The JSON text of a value; `nullable` adds the `null` a missing value is. */
export function json(expression: string, nullable = true): string {
  const text = `to_json(${expression})::text`;
  return nullable ? `coalesce(${text}, 'null')` : text;
}

/** Node's base64url (no padding, no line breaks) of a text expression's UTF-8 bytes. */
export function base64url(text: string): string {
  return `translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/** toGlobalId in SQL: the JSON string of `<Type>:v1:<uuid>` in base64url. */
export function globalIdJson(type: NodeType, id: string): string {
  return `('"' || ${base64url(`'${type}:v1:' || ${id}::text`)} || '"')`;
}

/** encodeCursor in SQL: the JSON string of the base64url of the JSON array of `keys`. */
export function cursorJson(keys: readonly string[]): string {
  const array = `'[' || ${keys.map((key) => json(key)).join(` || ',' || `)} || ']'`;
  return `('"' || ${base64url(array)} || '"')`;
}

/** formatPartialDate in SQL: `"2019"`, `"2019-07"` or `"2019-07-12"` by the precision; null without either. */
export function partialDateJson(date: string, precision: string): string {
  return `coalesce('"' || left(to_char(${date}, 'YYYY-MM-DD'), CASE ${precision} WHEN 'YEAR' THEN 4 WHEN 'MONTH' THEN 7 WHEN 'DAY' THEN 10 END) || '"', 'null')`;
}

/** A timestamp as Date#toISOString writes it (UTC, milliseconds). */
export function timestampJson(timestamp: string): string {
  return `coalesce('"' || to_char(${timestamp} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`;
}

/** `'"key":'` pieces and values into one JSON object expression; adjacent literals are merged. */
export function objectJson(members: readonly { key: string; value: string }[]): string {
  const pieces: string[] = [];
  let pending = '{';
  members.forEach(({ key, value }, i) => {
    pending += `${i ? ',' : ''}"${key}":`;
    if (isLiteral(value)) {
      pending += unquote(value);
    } else {
      pieces.push(literal(pending), value);
      pending = '';
    }
  });
  pending += '}';
  pieces.push(literal(pending));
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join(' || ')})`;
}

const LITERAL = /^'(?:[^']|'')*'$/;
const isLiteral = (expression: string) => LITERAL.test(expression);
const unquote = (expression: string) => expression.slice(1, -1).replace(/''/g, "'");

/**
 * What an expression yields when the planner cannot give graphql-js's answer from SQL alone (a
 * non-null relation whose record is gone, which graphql-js reports as an error): a control
 * character that no JSON text from `to_json` holds, so that the engine sees it and answers the
 * operation the other way.
 */
export const UNANSWERED = 'chr(1)';
export const UNANSWERED_MARK = '\u0001';
