import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, dataDirHolder, lockDataDir, parseLockFile } from './embedded';

describe('the data folder lock file', () => {
  it('reads the process id and the port, and the plain process id older versions wrote', () => {
    expect(parseLockFile('{"pid":1234,"port":45678}')).toEqual({ pid: 1234, port: 45678 });
    expect(parseLockFile('{"pid":1234}')).toEqual({ pid: 1234 });
    expect(parseLockFile('1234\n')).toEqual({ pid: 1234 });
    expect(parseLockFile(' 1234 ')).toEqual({ pid: 1234 });
  });

  it('ignores a port that is not one, and takes anything else for a broken lock', () => {
    expect(parseLockFile('{"pid":1234,"port":0}')).toEqual({ pid: 1234 });
    expect(parseLockFile('{"pid":1234,"port":70000}')).toEqual({ pid: 1234 });
    expect(parseLockFile('{"pid":1234,"port":"45678"}')).toEqual({ pid: 1234 });
    for (const broken of ['', 'abc', '{', '[1234]', 'null', '{"port":45678}', '{"pid":-3}', '{"pid":12.5}', '0', '"1234"']) {
      expect(parseLockFile(broken)).toBeUndefined();
    }
  });
});

describe('lockDataDir', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-lock-'));
  const dataDir = path.join(dir, 'nested', 'data');
  const lockPath = `${dataDir}.lock`;
  /** A process id that was just used and is gone. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => fs.rmSync(lockPath, { force: true }));

  it('writes this process id, then the port once advertised, and removes the file on release', () => {
    const lock = lockDataDir(dataDir);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toEqual({ pid: process.pid });
    lock.advertise(45678);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toEqual({ pid: process.pid, port: 45678 });
    expect(fs.readdirSync(path.dirname(lockPath))).toEqual(['data.lock']);
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses a folder held by a live process, naming it and the port it serves', () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, port: 45678 }));
    expect(dataDirHolder(dataDir)).toEqual({ pid: process.ppid, port: 45678 });
    let thrown: unknown;
    try {
      lockDataDir(dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataDirLockedError);
    expect(thrown).toMatchObject({ dataDir, holder: { pid: process.ppid, port: 45678 } });
    expect((thrown as Error).message).toBe(`the data folder ${dataDir} is in use by process ${process.ppid}; stop it, or set JOINTLY_DATA_DIR to another folder`);
  });

  it('refuses a folder held by a live process that wrote the old plain-pid lock', () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, String(process.ppid));
    expect(dataDirHolder(dataDir)).toEqual({ pid: process.ppid });
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
  });

  it.each([
    ['a dead process (new format)', () => JSON.stringify({ pid: deadPid(), port: 45678 })],
    ['a dead process (old format)', () => String(deadPid())],
    ['a broken file', () => 'not a lock'],
  ])('takes over a lock left by %s', (_name, content) => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, content());
    expect(dataDirHolder(dataDir)).toBeUndefined();
    const lock = lockDataDir(dataDir);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toEqual({ pid: process.pid });
    lock.release();
  });

  it('has no holder when there is no lock, or when this process holds it', () => {
    expect(dataDirHolder(dataDir)).toBeUndefined();
    const lock = lockDataDir(dataDir);
    lock.advertise(45678);
    expect(dataDirHolder(dataDir)).toBeUndefined();
    lock.release();
  });
});
