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

/** Never written, whatever a caller passes: credentials and request variables. */
const REDACT = ['authorization', 'token', 'password', 'variables', '*.authorization', '*.token', '*.password', '*.variables', 'headers.authorization', 'headers.cookie'];

/**
 * The server's structured log (pino). Lines written while a request is handled carry its `reqId`.
 * Levels: fatal, error, warn, info (default), debug, trace, silent.
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === 'auto' || options.format === undefined ? (process.stdout.isTTY ? 'pretty' : 'json') : options.format;
  const destination = options.destination ?? (format === 'pretty' ? prettyStream(process.stdout) : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: options.level,
      base: { service: 'jointly' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
      mixin: () => {
        const scope = currentRequest();
        return scope ? { reqId: scope.id } : {};
      },
    },
    destination,
  );
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
