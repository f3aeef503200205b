import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config';
import { currentRequest } from './request-scope';

export type { Logger };

export interface LoggerOptions {
  level: LogLevel;
  /** `json` (one object per line), `pretty` (for a terminal) or `auto` (pretty on a TTY). */
  format?: 'json' | 'pretty' | 'auto';
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
}

/** The longest line the log writes, in bytes: strings are cut, and a record still longer is reduced. */
export const MAX_LOG_LINE_BYTES = 8192;
/** Characters of one string value in a log line; the rest is dropped (and counted). */
const MAX_STRING = 500;
/** Stack frames kept of an error. */
const MAX_FRAMES = 12;

/** Never written, whatever a caller passes: credentials and request variables. */
const REDACT = ['authorization', 'token', 'password', 'variables', '*.authorization', '*.token', '*.password', '*.variables', 'headers.authorization', 'headers.cookie'];

/** What every line carries: the service, an ISO time and the level by name. */
const LINE_FIELDS = {
  base: { service: 'jointly' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
} as const;

/**
 * The server's structured log (pino). Lines written while a request is handled carry its `reqId`.
 * Levels: fatal, error, warn, info (default), debug, trace, silent.
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === 'auto' || options.format === undefined ? (process.stdout.isTTY ? 'pretty' : 'json') : options.format;
  const destination = options.destination ?? (format === 'pretty' ? prettyStream(process.stdout) : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      ...LINE_FIELDS,
      level: options.level,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Every call's arguments pass through boundedArgs: errors by an allow-list, strings cut, the whole line bounded.
      hooks: {
        logMethod(args, method) {
          method.apply(this, boundedArgs(args) as Parameters<typeof method>);
        },
      },
      // Errors are already plain, allow-listed objects (safeError); pino's own serializer would copy every property back.
      serializers: { err: (value: unknown) => value },
      mixin: () => {
        const scope = currentRequest();
        return scope ? { reqId: scope.id } : {};
      },
    },
    destination,
  );
}

/** One request's line in the access log: fields the server fills itself. */
export interface AccessLine {
  reqId: string;
  method: string | undefined;
  path: string;
  status: number;
  durationMs: number;
  sql: number;
  operation?: string;
  operationType?: string;
  cache?: string;
  errors?: string[];
}

/**
 * The access log: one line per request, written to the logger's destination at its level. Its
 * fields are the server's own (the path and the operation's name cut, the error codes bounded), so
 * the line skips the redaction and bounding every other call passes through, which cost a tenth of
 * the time of a small query at saturation.
 */
export function accessLog(logger: Logger): (level: 'info' | 'debug', line: AccessLine) => void {
  const destination = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]!;
  const access = pino({ ...LINE_FIELDS, level: logger.level }, destination);
  return (level, line) => {
    if (!access.isLevelEnabled(level)) return;
    const bounded: AccessLine = { ...line, path: cut(line.path, 200) };
    if (line.operation !== undefined) bounded.operation = cut(line.operation, 100);
    if (line.errors) bounded.errors = line.errors.slice(0, 20).map((code) => cut(code, 60));
    access[level](bounded, 'request');
  };
}

/** Fields of a PostgreSQL error that name schema objects, never values: kept, and allowed in its message. */
const DATABASE_NAME_FIELDS = ['constraint', 'table', 'column', 'schema', 'dataType'] as const;

function cut(text: string, max = MAX_STRING): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more characters]`;
}

/**
 * A message without the values it quotes. PostgreSQL, JSON.parse and TypeORM put the values they
 * refuse in double quotes (`invalid input syntax for type integer: "…"`), and those values are
 * request data (a draft's text, a name searched for); the names of schema objects the error itself
 * carries (its constraint, table, column) stay readable.
 */
function withoutQuotedValues(message: string, names: ReadonlySet<string>): string {
  return message.replace(/"([^"]*)("|$)/g, (quoted: string, inner: string) => (names.has(inner) ? quoted : '"…"'));
}

/**
 * What the log keeps of an error: an allow-list. Its name, its code (a PostgreSQL SQLSTATE such as
 * 23505, or Node's ECONNREFUSED), the schema names a database error carries, its message without
 * quoted values, and the stack's frames (not its first line, which repeats the message). Never the
 * SQL, its parameters, the driver error, PostgreSQL's `detail` (`Key (key)=(…) already exists`,
 * `Failing row contains (…)`), `where` or `hint`: they hold the values a request sent.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: cut(typeof error === 'string' ? error : Object.prototype.toString.call(error), 100) };
  const fields = error as Error & Record<string, unknown> & { driverError?: Record<string, unknown> };
  const source = fields.driverError && typeof fields.driverError === 'object' ? { ...fields.driverError, ...fields } : fields;
  const safe: Record<string, unknown> = { name: cut(error.name, 100) };
  if (typeof source.code === 'string' || typeof source.code === 'number') safe.code = cut(String(source.code), 40);
  const names = new Set<string>();
  for (const field of DATABASE_NAME_FIELDS) {
    const value = source[field];
    if (typeof value === 'string' && value !== '') {
      safe[field] = cut(value, 100);
      names.add(value);
    }
  }
  safe.message = cut(withoutQuotedValues(error.message, names));
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length > 0) safe.stack = frames.slice(0, MAX_FRAMES).map((frame) => cut(frame.trim(), 200)).join('\n');
  return safe;
}

/** A value made fit for a log line: errors allow-listed, strings cut, nesting and lists bounded. */
function bounded(value: unknown, depth: number): unknown {
  if (value instanceof Error) return safeError(value);
  if (typeof value === 'string') return cut(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 4) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((item) => bounded(item, depth + 1));
    return value.length > 20 ? [...items, `…[${value.length - 20} more]`] : items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, 40)) out[cut(key, 100)] = bounded(item, depth + 1);
  if (entries.length > 40) out.truncatedKeys = entries.length - 40;
  return out;
}

/** Room left in a line for pino's own fields (level, time, service, reqId) and the message. */
const OWN_FIELDS_BYTES = 2048;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/** A log call's arguments, bounded: the merging object and the message, whatever a caller passes. */
function boundedArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  const message = (value: unknown) => (typeof value === 'string' ? cut(value, 200) : value);
  if (first === null || typeof first !== 'object') return [message(first)];
  const object = bounded(first, 0) as Record<string, unknown>;
  const budget = MAX_LOG_LINE_BYTES - OWN_FIELDS_BYTES;
  if (jsonBytes(object) <= budget) return [object, ...rest.slice(0, 1).map(message)];
  // Still too long (many long fields, or characters JSON escapes): fields in order while they fit, shortened.
  const kept: Record<string, unknown> = { truncated: true };
  let size = jsonBytes(kept);
  for (const [key, value] of Object.entries(object)) {
    const short =
      typeof value === 'string'
        ? cut(value, 60)
        : key === 'err' && value && typeof value === 'object'
          ? { name: (value as { name?: unknown }).name, code: (value as { code?: unknown }).code }
          : value !== null && typeof value === 'object'
            ? '[omitted]'
            : value;
    const bytes = jsonBytes({ [key]: short });
    if (size + bytes > budget) continue;
    kept[key] = short;
    size += bytes;
  }
  return [kept, ...rest.slice(0, 1).map(message)];
}

const HIDDEN = new Set(['level', 'time', 'msg', 'service']);

/** Human lines for a terminal: `12:00:01 info  request POST /graphql 200 12 ms reqId=…`. */
export function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as Record<string, unknown>;
          const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '';
          const rest = Object.entries(record)
            .filter(([key]) => !HIDDEN.has(key))
            .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(' ');
          out.write(`${time} ${String(record.level).padEnd(5)} ${String(record.msg ?? '')}${rest ? `  ${rest}` : ''}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
