import { spawn } from 'node:child_process';
import path from 'node:path';

/** The `jointly` command as npm links it (packages/cli/bin/jointly.js, which runs the compiled dist/bin.js). */
export const BIN = path.resolve(__dirname, '..', 'bin', 'jointly.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  /** Standard output as it came, for binary output (a workbook). */
  stdoutBytes: Buffer;
  stderr: string;
}

/** Runs `jointly ARGS…` to completion in a child process, with a clean database environment; `input` is written to its standard input. */
export function runCli(args: string[], env: Record<string, string> = {}, bin = BIN, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _drop, ...base } = process.env;
    const child = spawn(process.execPath, [bin, ...args], { env: { ...base, ...env } });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(stdout);
      resolve({ code, stdout: stdoutBytes.toString(), stdoutBytes, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}
