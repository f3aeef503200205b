import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A file could not be written; the file that was there (if any) is unchanged. */
export class WriteFileError extends Error {
  override readonly name = 'WriteFileError';
}

/**
 * Writes a file whole or not at all: into a temporary file beside it (same directory, so the same
 * file system), flushed to disk, then renamed over the target. A reader never sees half an export,
 * and a failure (disk full, a file size limit, an interrupted write) leaves the previous file as it
 * was and no temporary file behind.
 */
export function writeFileAtomically(file: string, content: string | Buffer): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'wx', 0o644);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new WriteFileError(`could not write ${file}${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}; nothing was changed`);
  }
}
