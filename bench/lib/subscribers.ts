import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { cpuMs, ROOT } from './processes.ts';

export interface SocketSpec {
  url: string;
  /** Byte strings that mark the messages this socket expects (e.g. `"dialogId":"chat5"`). */
  markers: string[];
}

/**
 * WebSocket subscribers spread over a few client processes (bench/clients/ws-subscribers.mjs), so the server under
 * test does not share its event loop with them. `arrival` resolves when the last socket has the k-th message of a
 * marker, with that moment on the machine-wide monotonic clock.
 */
export class SubscriberPool {
  private readonly children: ChildProcess[];
  /** marker → how many processes hold sockets expecting it */
  private readonly holders = new Map<string, number>();
  private readonly arrivals = new Map<string, { at: number[]; resolve?: (at: number) => void }>();

  constructor(processes: number) {
    this.children = Array.from({ length: processes }, () =>
      fork(path.join(ROOT, 'bench/clients/ws-subscribers.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    for (const child of this.children) {
      child.on('message', (msg: any) => {
        if (msg.op === 'got') this.got(msg.marker, msg.k, msg.at);
      });
    }
  }

  /** Opens the sockets, dealt round-robin to the processes; throws if any fails. */
  async open(sockets: SocketSpec[], concurrency = 200): Promise<void> {
    const shares = this.children.map((_, i) => sockets.filter((_, j) => j % this.children.length === i));
    const results = await Promise.all(
      this.children.map((child, i) => {
        for (const marker of new Set(shares[i].flatMap((s) => s.markers))) {
          this.holders.set(marker, (this.holders.get(marker) ?? 0) + 1);
        }
        return new Promise<{ open: number; failed: number }>((resolve) => {
          const onMessage = (msg: any) => {
            if (msg.op !== 'opened') return;
            child.off('message', onMessage);
            resolve(msg);
          };
          child.on('message', onMessage);
          child.send({ op: 'open', sockets: shares[i], concurrency });
        });
      }),
    );
    const failed = results.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) throw new Error(`${failed} of ${sockets.length} WebSockets did not open`);
  }

  /** When every socket expecting `marker` has its k-th such message (monotonic ms); rejects after `timeoutMs`, a net
   * for a lost message, not a time budget: a busy machine is slow. */
  arrival(marker: string, k: number, timeoutMs = 300_000): Promise<number> {
    const key = `${marker}#${k}`;
    const entry = this.arrivals.get(key) ?? { at: [] };
    this.arrivals.set(key, entry);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`message ${k} of ${marker} missing after ${timeoutMs} ms`)),
        timeoutMs,
      );
      entry.resolve = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
      this.settle(key, marker);
    });
  }

  /** CPU time the client processes have used so far, ms. */
  cpuMs(): number {
    return this.children.reduce((sum, child) => sum + cpuMs(child.pid!), 0);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.send({ op: 'close' });
          }),
      ),
    );
  }

  private got(marker: string, k: number, at: number): void {
    const key = `${marker}#${k}`;
    const entry = this.arrivals.get(key) ?? { at: [] };
    entry.at.push(at);
    this.arrivals.set(key, entry);
    this.settle(key, marker);
  }

  private settle(key: string, marker: string): void {
    const entry = this.arrivals.get(key)!;
    if (!entry.resolve || entry.at.length < (this.holders.get(marker) ?? 0)) return;
    this.arrivals.delete(key);
    entry.resolve(Math.max(...entry.at));
  }
}
