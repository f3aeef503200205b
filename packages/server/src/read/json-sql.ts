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

/** encodeCursor in SQL: the JSON string of the base64url of the JSON array of the keys' JSON texts. */
export function cursorJson(keys: readonly string[]): string {
  const array = `'[' || ${keys.join(` || ',' || `)} || ']'`;
  return `('"' || ${base64url(array)} || '"')`;
}

/**
 * A float (real or double precision) as JavaScript writes the number node-postgres reads from it:
 * JSON.stringify(parseFloat(text)). The digits are those of PostgreSQL's text, the float's shortest
 * (extra_float_digits 1, the default): read as the nearest double, JavaScript writes it back with
 * the same digits (a double's shortest text is its own; no other decimal as short as a real's, at
 * most 9 digits, is as near). Widening a real to a double would give its binary value's digits
 * instead (0.1 → 0.10000000149011612). Only the notation is JavaScript's: plain from 1e-6 to below
 * 1e21 (0.000015, not 1.5e-05; 1234567, not 1.234567e+06), else an exponent without padding (1e-7,
 * 1e+21). NaN and the infinities, which GraphQL's Float refuses, are UNANSWERED; -0 is 0.
 */
export function floatJson(float: string): string {
  const t = `(${float})::text`;
  return (
    `(CASE WHEN ${t} IN ('NaN', 'Infinity', '-Infinity') THEN ${UNANSWERED} WHEN ${t} = '-0' THEN '0' WHEN strpos(${t}, 'e') = 0 THEN ${t} ` +
    `WHEN split_part(${t}, 'e', 2)::int BETWEEN -6 AND 20 THEN ${t}::numeric::text ELSE regexp_replace(${t}, 'e([+-])0', 'e\\1') END)`
  );
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
