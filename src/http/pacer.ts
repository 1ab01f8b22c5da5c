/**
 * Keeps a run under a declared budget: at most `limit` requests in any `window_s` seconds,
 * per origin and credential (SPEC §7). A sliding log, so short runs go at full speed and
 * long ones wait exactly as long as the budget demands.
 *
 * The log lives in a ledger. In one process a `MemoryPacingLedger` does; a run's worker processes
 * share a `FilePacingLedger` under the run's work folder, so two targets on the same origin and
 * credential (in different Playwright workers) stay within one budget together.
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  unlinkSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface Budget {
  readonly limit: number;
  readonly windowS: number;
}

export type Sleep = (ms: number) => Promise<void>;
export type Clock = () => number;

/**
 * The window the pacer keeps, padded so that a server counting arrival times (which jitter by
 * connection set-up and scheduling) still never sees more than `limit` requests in one window.
 */
export function paddedWindowMs(budget: Budget): number {
  const windowMs = budget.windowS * 1000;
  return windowMs + Math.max(100, windowMs * 0.02);
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a ledger user wants changed: send times to add, and times old enough to forget. */
export interface PacingChange<T> {
  readonly result: T;
  readonly add?: readonly number[];
  /** Entries at or before this time can no longer matter (they left every window). */
  readonly forgetUpTo?: number;
}

/**
 * Where the send times of each key are kept. `update` shows `fn` the key's log (ascending)
 * and applies the change it returns, atomically with respect to every other user of the ledger.
 */
export interface PacingLedger {
  update<T>(key: string, fn: (log: readonly number[]) => PacingChange<T>): Promise<T>;
}

function apply(log: number[], change: PacingChange<unknown>): void {
  if (change.forgetUpTo !== undefined) {
    let drop = 0;
    while (drop < log.length && log[drop]! <= change.forgetUpTo) drop++;
    if (drop) log.splice(0, drop);
  }
  for (const t of change.add ?? []) insertSorted(log, t);
}

/** Processes append in nearly ascending order: insert from the end. */
function insertSorted(log: number[], t: number): void {
  let i = log.length;
  while (i > 0 && log[i - 1]! > t) i--;
  log.splice(i, 0, t);
}

export class MemoryPacingLedger implements PacingLedger {
  private readonly logs = new Map<string, number[]>();

  async update<T>(key: string, fn: (log: readonly number[]) => PacingChange<T>): Promise<T> {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = []));
    const change = fn(log);
    apply(log, change);
    return change.result;
  }
}

interface FileView {
  ino: number;
  /** Kept open for appending (O_APPEND): one write per request. */
  fd?: number;
  /** Bytes of the file this view has read. */
  size: number;
  /** Lines in the file (it keeps forgotten entries until it is compacted). */
  lines: number;
  log: number[];
}

/**
 * One append-only file per key (named by a hash of the key: no credential material on disk),
 * guarded by a lock (a hard link to the owner's pid file); a lock whose owner process is gone
 * is taken over. Each process keeps a view of the file and reads only what other processes appended
 * since; the file is compacted (rewritten, new inode) when forgotten entries pile up. So a
 * request costs a link, a stat, a write and an unlink, however full the window.
 */
export class FilePacingLedger implements PacingLedger {
  private readonly views = new Map<string, FileView>();

  constructor(
    readonly dir: string,
    private readonly sleep: Sleep = realSleep,
    /** A lock held longer than this by a live process is assumed abandoned (e.g. a frozen worker). */
    private readonly staleLockMs = 10_000,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  fileFor(key: string): string {
    return join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 24));
  }

  async update<T>(key: string, fn: (log: readonly number[]) => PacingChange<T>): Promise<T> {
    const file = this.fileFor(key);
    const lock = `${file}.lock`;
    await this.lock(lock);
    try {
      const view = this.refresh(key, file);
      const change = fn(view.log);
      apply(view.log, change);
      const add = change.add ?? [];
      if (add.length) {
        if (view.ino < 0 || view.lines > 2 * view.log.length + 1024) this.compact(file, view);
        else {
          const text = `${add.join('\n')}\n`;
          view.fd ??= openSync(file, 'a');
          writeSync(view.fd, text);
          view.size += Buffer.byteLength(text);
          view.lines += add.length;
        }
      }
      return change.result;
    } finally {
      unlinkSync(lock);
    }
  }

  /** Brings this process's view of the file up to date, reading only what is new. */
  private refresh(key: string, file: string): FileView {
    let stat: Stats | undefined;
    try {
      stat = statSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let view = this.views.get(key);
    if (view?.fd !== undefined && (!stat || view.ino !== stat.ino)) {
      closeSync(view.fd);
      delete view.fd;
    }
    if (!stat) view = { ino: -1, size: 0, lines: 0, log: [] };
    else if (!view || view.ino !== stat.ino || stat.size < view.size) {
      if (view?.fd !== undefined) closeSync(view.fd);
      const times = parse(readFileSync(file, 'utf8'));
      view = { ino: stat.ino, size: stat.size, lines: times.length, log: times.sort((a, b) => a - b) };
    } else if (stat.size > view.size) {
      const buffer = Buffer.alloc(stat.size - view.size);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, view.size);
      } finally {
        closeSync(fd);
      }
      const times = parse(buffer.toString('utf8'));
      for (const t of times) insertSorted(view.log, t);
      view.size = stat.size;
      view.lines += times.length;
    }
    this.views.set(key, view);
    return view;
  }

  private compact(file: string, view: FileView): void {
    if (view.fd !== undefined) {
      closeSync(view.fd);
      delete view.fd;
    }
    const text = view.log.length ? `${view.log.join('\n')}\n` : '';
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    view.ino = statSync(file).ino;
    view.size = Buffer.byteLength(text);
    view.lines = view.log.length;
  }

  /**
   * Takes the lock by hard-linking this process's owner file (it holds the pid) to the lock
   * path: atomic, cheaper than creating and writing a file, and whoever finds the lock taken
   * reads the owner's pid from it.
   */
  private async lock(lock: string): Promise<void> {
    const owner = this.ownerFile();
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(owner, lock);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (this.abandoned(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      // Locks are held for microseconds; back off a little more each time.
      await this.sleep(Math.min(1 + attempt, 20));
    }
  }

  private owner?: string;

  private ownerFile(): string {
    if (!this.owner) {
      this.owner = join(this.dir, `owner-${process.pid}`);
      writeFileSync(this.owner, String(process.pid));
    }
    return this.owner;
  }

  private abandoned(lock: string): boolean {
    try {
      const owner = Number(readFileSync(lock, 'utf8'));
      if (owner && owner !== process.pid) {
        try {
          process.kill(owner, 0);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
        }
      }
      return Date.now() - statSync(lock).ctimeMs > this.staleLockMs;
    } catch {
      return false; // released meanwhile: try again
    }
  }
}

function parse(text: string): number[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isFinite(n));
}

/** What `acquireWithin` got: a slot after `waitedMs`, or — with `refusedMs` — none, the next one being that far away. */
export interface PacingSlot {
  readonly waitedMs: number;
  readonly refusedMs?: number;
}

export class Pacer {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    /** Fraction of the declared limit the harness allows itself (headroom for other clients). */
    private readonly share = 1,
    private readonly now: Clock = Date.now,
    private readonly sleep: Sleep = realSleep,
    private readonly ledger: PacingLedger = new MemoryPacingLedger(),
  ) {}

  private allowed(budget: Budget): number {
    return Math.max(1, Math.floor(budget.limit * this.share));
  }

  /** How long a request would wait now (0: may go), and the oldest time that still matters. */
  private delayIn(log: readonly number[], budget: Budget): { delay: number; forgetUpTo: number } {
    const windowMs = paddedWindowMs(budget);
    const now = this.now();
    const cutoff = now - windowMs;
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid]! <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    const inWindow = log.length - lo;
    const allowed = this.allowed(budget);
    const delay = inWindow < allowed ? 0 : Math.max(1, log[log.length - allowed]! + windowMs - now);
    return { delay, forgetUpTo: cutoff };
  }

  /** How long the next request on `key` would wait now (for dry runs and evidence). */
  delayFor(key: string, budget: Budget): Promise<number> {
    return this.ledger.update(key, (log) => {
      const { delay, forgetUpTo } = this.delayIn(log, budget);
      return { result: delay, forgetUpTo };
    });
  }

  /** Resolves when a request on `key` may be sent, and counts it; to the time waited. Calls on one key are serialised. */
  async acquire(key: string, budget: Budget): Promise<number> {
    return (await this.acquireWithin(key, budget, Infinity)).waitedMs;
  }

  /**
   * Like `acquire`, but a single wait longer than `maxWaitMs` is not taken: the request is then
   * not counted, and the answer says how long it would have had to wait. `onWait` hears each
   * wait before it starts (so a long one can be announced).
   */
  acquireWithin(key: string, budget: Budget, maxWaitMs: number, onWait?: (ms: number) => void): Promise<PacingSlot> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    let waitedMs = 0;
    const next = previous.then(async (): Promise<PacingSlot> => {
      for (;;) {
        const delay = await this.ledger.update(key, (log) => {
          const { delay: d, forgetUpTo } = this.delayIn(log, budget);
          return { result: d, forgetUpTo, ...(d === 0 ? { add: [this.now()] } : {}) };
        });
        if (delay === 0) return { waitedMs };
        if (delay > maxWaitMs) return { refusedMs: delay, waitedMs };
        onWait?.(delay);
        waitedMs += delay;
        await this.sleep(delay);
      }
    });
    this.queues.set(
      key,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }

  /**
   * Counts requests that were sent without pacing (the ratelimit.429 burst, SPEC §7), so the
   * requests that follow on the same key, in any worker, wait until the burst's window has passed.
   */
  record(key: string, budget: Budget, times: readonly number[]): Promise<void> {
    if (!times.length) return Promise.resolve();
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() =>
      this.ledger.update(key, (log) => ({
        result: undefined,
        add: times,
        forgetUpTo: this.delayIn(log, budget).forgetUpTo,
      })),
    );
    this.queues.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}
