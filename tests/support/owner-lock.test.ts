import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireOwnerLock, isProcessAlive, type LockOwner } from './owner-lock';

/** Another process that takes the lock for real and holds it until told "release" on stdin (or is killed). */
function lockHolder(lockPath: string): { child: ChildProcessWithoutNullStreams; locked: Promise<void> } {
  const script = `
    import { acquireOwnerLock } from ${JSON.stringify(resolve('tests/support/owner-lock.ts'))};
    const unlock = await acquireOwnerLock(${JSON.stringify(lockPath)});
    process.stdout.write('locked\\n');
    process.stdin.on('data', async () => { await unlock(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const locked = new Promise<void>((resolveLocked, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolveLocked();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking: ${stderr}`)));
  });
  return { child, locked };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function ownerOf(lockPath: string): Promise<LockOwner> {
  return JSON.parse(await readFile(join(lockPath, 'owner.json'), 'utf8')) as LockOwner;
}

describe('acquireOwnerLock', () => {
  let dir: string;
  let lockPath: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-owner-lock-'));
    lockPath = join(dir, 'native.lock');
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('takes over at once a lock whose owner was killed (an interrupted run)', async () => {
    const holder = lockHolder(lockPath);
    children.push(holder.child);
    await holder.locked;
    const deadPid = holder.child.pid!;
    expect((await ownerOf(lockPath)).pid).toBe(deadPid);
    holder.child.kill('SIGKILL'); // no chance to release: the lock stays behind
    await exited(holder.child);
    expect(isProcessAlive(deadPid)).toBe(false);

    const started = Date.now();
    const unlock = await acquireOwnerLock(lockPath, { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await ownerOf(lockPath)).toMatchObject({ pid: process.pid });
    await unlock();
    await expect(readFile(join(lockPath, 'owner.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('waits for a live owner, and takes the lock as soon as it is released', async () => {
    const holder = lockHolder(lockPath);
    children.push(holder.child);
    await holder.locked;

    let waitedFor: LockOwner | undefined;
    let acquired = false;
    const acquiring = acquireOwnerLock(lockPath, { pollMs: 50, onWait: (owner) => (waitedFor = owner) }).then((unlock) => {
      acquired = true;
      return unlock;
    });
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
    expect(acquired).toBe(false);
    expect(waitedFor?.pid).toBe(holder.child.pid);

    holder.child.stdin.write('release\n');
    const unlock = await acquiring;
    expect(await ownerOf(lockPath)).toMatchObject({ pid: process.pid });
    await unlock();
  });

  it('gives up waiting after the timeout with an error naming the owner', async () => {
    await mkdir(lockPath);
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid: 4242, hostname: hostname(), takenAt: Date.now(), nonce: 'n' }));
    await expect(acquireOwnerLock(lockPath, { isAlive: () => true, pollMs: 20, timeoutMs: 300 })).rejects.toThrow(/still held .* by pid 4242/);
  });

  it('treats an owner on another host as alive until the lock is older than maxAgeMs', async () => {
    await mkdir(lockPath);
    const record = { pid: 1, hostname: 'some-other-host', takenAt: Date.now(), nonce: 'n' };
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify(record));
    const alwaysDead = () => false;
    await expect(acquireOwnerLock(lockPath, { isAlive: alwaysDead, pollMs: 20, timeoutMs: 300 })).rejects.toThrow(/pid 1 on some-other-host/);

    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ ...record, takenAt: Date.now() - 60_000 }));
    const unlock = await acquireOwnerLock(lockPath, { isAlive: alwaysDead, maxAgeMs: 30_000, timeoutMs: 1_000 });
    expect((await ownerOf(lockPath)).pid).toBe(process.pid);
    await unlock();
  });

  it('takes over a directory with no owner record (left by an older lock) once it is a few seconds old', async () => {
    await mkdir(lockPath);
    const old = new Date(Date.now() - 30_000);
    await utimes(lockPath, old, old);
    const unlock = await acquireOwnerLock(lockPath, { timeoutMs: 1_000 });
    expect((await ownerOf(lockPath)).pid).toBe(process.pid);
    await unlock();
  });

  it('does not release a lock that another owner has taken over meanwhile', async () => {
    const unlock = await acquireOwnerLock(lockPath);
    // Someone judged this lock abandoned and took it: our late release must leave theirs alone.
    await rm(lockPath, { recursive: true });
    const theirs = await acquireOwnerLock(lockPath);
    const theirNonce = (await ownerOf(lockPath)).nonce;
    await unlock();
    expect((await ownerOf(lockPath)).nonce).toBe(theirNonce);
    await theirs();
  });
});
