/**
 * A lock between processes on one machine for work done once into a shared cache (e.g. building
 * whisper.cpp's CLI while several test files want it). The lock is a directory, since mkdir is
 * atomic, and it records its owner (pid, hostname, when taken) in `owner.json`, so a lock left by a
 * run that was killed is taken over at once instead of after a timeout.
 *
 *   const unlock = await acquireOwnerLock('/tmp/cache/native.lock');
 *   try { ...build... } finally { await unlock(); }
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** When the lock was taken (ms since the epoch). */
  takenAt: number;
  /** Tells this taking of the lock from any other, even by the same pid. */
  nonce: string;
}

export interface OwnerLockOptions {
  /** Whether a pid on this host is a running process; injectable for tests. */
  isAlive?: (pid: number) => boolean;
  /** How often a waiter looks again. */
  pollMs?: number;
  /**
   * A lock older than this is taken over even though its owner looks alive: the pid may have been
   * reused, or the owner lives on another host (a shared temp dir) where its pid cannot be checked.
   */
  maxAgeMs?: number;
  /** Give up waiting after this long, with an error naming the owner. */
  timeoutMs?: number;
  /** Told once when a live owner is being waited for. */
  onWait?: (owner: LockOwner | undefined) => void;
}

const OWNER_FILE = 'owner.json';
/** The owner writes its record right after mkdir; a directory without one for longer than this was left by something else. */
const UNRECORDED_GRACE_MS = 5_000;

/** `process.kill(pid, 0)` sends nothing: it only asks whether the process exists (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `path`, waiting while a live owner holds it; resolves with the release. */
export async function acquireOwnerLock(path: string, options: OwnerLockOptions = {}): Promise<() => Promise<void>> {
  const { isAlive = isProcessAlive, pollMs = 200, maxAgeMs = 10 * 60_000, timeoutMs = 15 * 60_000, onWait } = options;
  const started = Date.now();
  let toldWaiting = false;
  for (;;) {
    const me: LockOwner = { pid: process.pid, hostname: hostname(), takenAt: Date.now(), nonce: randomUUID() };
    if (await tryCreate(path, me)) return () => release(path, me.nonce);

    const held = await readHeld(path);
    if (held && isAbandoned(held, { isAlive, maxAgeMs })) {
      await takeOver(path, held.owner);
      continue; // and race for it like anyone else
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`lock ${path} still held after ${Math.round(timeoutMs / 1000)} s by ${describeOwner(held?.owner)}; remove it if that process is gone`);
    }
    if (!toldWaiting && held) {
      toldWaiting = true;
      onWait?.(held.owner);
    }
    await delay(pollMs);
  }
}

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  try {
    await mkdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await writeFile(join(path, OWNER_FILE), JSON.stringify(me));
  return true;
}

interface HeldLock {
  /** Undefined when the directory has no readable owner record. */
  owner: LockOwner | undefined;
  ageMs: number;
}

/** What holds the lock now; undefined when it was released meanwhile. */
async function readHeld(path: string): Promise<HeldLock | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  const owner = await readOwner(path);
  return { owner, ageMs: Date.now() - (owner?.takenAt ?? info.mtimeMs) };
}

async function readOwner(dir: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' && typeof parsed.takenAt === 'number' && typeof parsed.nonce === 'string') {
      return parsed as LockOwner;
    }
  } catch {
    // Missing (an owner between mkdir and its record, or a lock from before records) or torn.
  }
  return undefined;
}

function isAbandoned(held: HeldLock, { isAlive, maxAgeMs }: { isAlive: (pid: number) => boolean; maxAgeMs: number }): boolean {
  if (held.ageMs > maxAgeMs) return true;
  if (!held.owner) return held.ageMs > UNRECORDED_GRACE_MS;
  if (held.owner.hostname !== hostname()) return false;
  return !isAlive(held.owner.pid);
}

/**
 * Removes an abandoned lock without ever removing a fresh one that replaced it meanwhile: rename is
 * atomic, so the lock is first moved aside, then its record is checked to be the one judged dead.
 * If another waiter took over and a new owner took the lock in between, the moved lock is put back.
 */
async function takeOver(path: string, abandoned: LockOwner | undefined): Promise<void> {
  const aside = `${path}.abandoned-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else moved or released it first
  }
  const moved = await readOwner(aside);
  if (moved && moved.nonce !== abandoned?.nonce) {
    // A live lock: hand it back. If yet another owner holds the path by now, both run the work,
    // whose results land by atomic rename: wasted time, never a corrupt cache.
    await rename(aside, path).catch(() => undefined);
  }
  await rm(aside, { recursive: true, force: true });
}

/** Removes the lock only if it is still ours (a waiter may have judged it abandoned and taken it). */
async function release(path: string, nonce: string): Promise<void> {
  const owner = await readOwner(path);
  if (owner?.nonce === nonce) await rm(path, { recursive: true, force: true });
}

function describeOwner(owner: LockOwner | undefined): string {
  return owner ? `pid ${owner.pid} on ${owner.hostname} since ${new Date(owner.takenAt).toISOString()}` : 'an owner that left no record';
}
