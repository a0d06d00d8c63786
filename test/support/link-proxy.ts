// A poor link in user space (this kernel has no netem): a TCP proxy on 127.0.0.1 that delays each
// direction, limits its bandwidth with a token bucket shared by all connections (one link), cuts
// connections at random byte offsets in either direction, and stalls some (accepts, swallows, then
// drops). Every draw comes from a seeded generator; the behaviour can be changed while it runs.
// Used by the chaos suite, the kill test and `npm run bench:link`.
import net from 'node:net';
import { rng as makeRng, type Rng } from './rng';

export interface DirectionBehaviour {
  /** One-way delay added to every byte, ms. */
  latencyMs: number;
  /** Bandwidth, bytes per second (null: unlimited). */
  bytesPerSecond: number | null;
  /** Bytes the bucket may send at once after an idle time. */
  burstBytes: number;
  /**
   * Probability of a cut within each window of `cutWithinBytes` bytes of a connection, at an offset
   * drawn uniformly in the window (windows, not connections: HTTP keeps connections alive for long).
   */
  cutProbability: number;
  cutWithinBytes: number;
}

export interface LinkBehaviour {
  /** Client → server. */
  up: DirectionBehaviour;
  /** Server → client. */
  down: DirectionBehaviour;
  /** Probability that a new connection is accepted and then swallowed (nothing forwarded either way). */
  stallProbability: number;
  /** How long a stalled connection is held before it is dropped. */
  stallMs: number;
  /** Refuse new connections at once (the server looks down). */
  refuse: boolean;
}

export interface LinkStats {
  connections: number;
  /** Connections cut at a byte offset (either direction). */
  cuts: number;
  stalls: number;
  refused: number;
  bytesUp: number;
  bytesDown: number;
}

const CLEAN_DIRECTION: DirectionBehaviour = {
  latencyMs: 0,
  bytesPerSecond: null,
  burstBytes: 16_384,
  cutProbability: 0,
  cutWithinBytes: 0,
};

export const CLEAN_LINK: LinkBehaviour = {
  up: CLEAN_DIRECTION,
  down: CLEAN_DIRECTION,
  stallProbability: 0,
  stallMs: 0,
  refuse: false,
};

/** A symmetric link of `kbps` kilobits per second and `rttMs` round trip (half each way). */
export function slowLink(kbps: number, rttMs: number): LinkBehaviour {
  const d: DirectionBehaviour = {
    ...CLEAN_DIRECTION,
    latencyMs: rttMs / 2,
    bytesPerSecond: (kbps * 1000) / 8,
    burstBytes: 1_500,
  };
  return { ...CLEAN_LINK, up: d, down: { ...d } };
}

/** Paces one direction of the link: when may `size` bytes leave, given those sent before. */
class TokenBucket {
  /** Time (ms, performance.now) at which the bytes already queued have all left. */
  private free = 0;
  constructor(private readonly get: () => DirectionBehaviour) {}
  /** Time at which the last byte of `size` bytes has left the link (before the latency). */
  take(size: number, now: number): number {
    const b = this.get();
    if (!b.bytesPerSecond) return now;
    // Idle credit up to the burst: the bucket refills while nothing is sent.
    const start = Math.max(this.free, now - (b.burstBytes / b.bytesPerSecond) * 1000);
    this.free = start + (size / b.bytesPerSecond) * 1000;
    return Math.max(now, this.free);
  }
}

/** One direction of one connection: paced, delayed, in order, and possibly cut at a drawn offset. */
class Pipe {
  private sent = 0;
  private lastDelivery = 0;
  private done = false;
  /** End of the current cut window, and the offset of the cut drawn in it (null: none). */
  private windowEnd = 0;
  private cutAt: number | null = null;
  constructor(
    private readonly to: net.Socket,
    private readonly bucket: TokenBucket,
    private readonly behaviour: () => DirectionBehaviour,
    private readonly rng: Rng,
    private readonly onBytes: (n: number) => void,
    private readonly onCut: () => void,
  ) {
    this.draw();
  }

  /** Opens the next cut window and draws whether (and where) the link breaks in it. */
  private draw(): void {
    const b = this.behaviour();
    // Without cuts, windows stay large so a later change of behaviour still reaches long-lived connections.
    const window = b.cutProbability > 0 && b.cutWithinBytes > 0 ? b.cutWithinBytes : 65_536;
    const start = this.windowEnd;
    this.windowEnd = start + window;
    this.cutAt = b.cutProbability > 0 && this.rng.chance(b.cutProbability) ? start + this.rng.int(window) : null;
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    let data = chunk;
    let cut = false;
    while (this.cutAt === null && this.sent + data.length >= this.windowEnd) this.draw();
    if (this.cutAt !== null && this.sent + data.length >= this.cutAt) {
      data = data.subarray(0, this.cutAt - this.sent);
      cut = true;
      this.done = true;
    }
    this.sent += data.length;
    // Small pieces so a slow link delivers progressively, as a real one would.
    const piece = this.behaviour().bytesPerSecond ? 1_460 : data.length || 1;
    for (let off = 0; off < data.length; off += piece) this.schedule(data.subarray(off, off + piece));
    if (cut) this.schedule(null);
  }

  /** Delivers `data` (or the cut, for null) once the link has carried it and the latency has passed. */
  private schedule(data: Buffer | null): void {
    const now = performance.now();
    const left = this.bucket.take(data?.length ?? 0, now);
    const at = Math.max(this.lastDelivery, left + this.behaviour().latencyMs);
    this.lastDelivery = at;
    const deliver = () => {
      if (data === null) return this.onCut();
      if (this.to.destroyed) return;
      this.onBytes(data.length);
      this.to.write(data);
    };
    if (at <= now) deliver();
    else setTimeout(deliver, at - now);
  }

  /** The other side ended cleanly: end this side once everything queued has been delivered. */
  end(): void {
    if (this.done) return;
    this.done = true;
    const wait = Math.max(0, this.lastDelivery - performance.now());
    setTimeout(() => {
      if (!this.to.destroyed) this.to.end();
    }, wait);
  }
}

export class LinkProxy {
  readonly stats: LinkStats = { connections: 0, cuts: 0, stalls: 0, refused: 0, bytesUp: 0, bytesDown: 0 };
  private behaviour: LinkBehaviour;
  private readonly sockets = new Set<net.Socket>();
  private readonly up = new TokenBucket(() => this.behaviour.up);
  private readonly down = new TokenBucket(() => this.behaviour.down);
  private readonly rng: Rng;

  private constructor(
    private readonly server: net.Server,
    private target: { host: string; port: number },
    seed: number,
    behaviour: LinkBehaviour,
  ) {
    this.rng = makeRng(seed);
    this.behaviour = behaviour;
    server.on('connection', (c) => this.accept(c));
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and forwards to `target`. */
  static async start(opts: {
    target: { host?: string; port: number };
    seed?: number;
    behaviour?: LinkBehaviour;
    port?: number;
  }): Promise<LinkProxy> {
    const server = net.createServer({ noDelay: true });
    const proxy = new LinkProxy(
      server,
      { host: opts.target.host ?? '127.0.0.1', port: opts.target.port },
      opts.seed ?? 1,
      opts.behaviour ?? CLEAN_LINK,
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get current(): LinkBehaviour {
    return this.behaviour;
  }

  /** Changes the behaviour for new bytes and new connections (a partial patch per direction). */
  set(
    patch: Partial<Omit<LinkBehaviour, 'up' | 'down'>> & {
      up?: Partial<DirectionBehaviour>;
      down?: Partial<DirectionBehaviour>;
    },
  ): void {
    this.behaviour = {
      ...this.behaviour,
      ...patch,
      up: { ...this.behaviour.up, ...patch.up },
      down: { ...this.behaviour.down, ...patch.down },
    };
  }

  /** Points the proxy at another upstream port (a restarted server on a new port). */
  retarget(port: number, host = '127.0.0.1'): void {
    this.target = { host, port };
  }

  /** Cuts every open connection now (both directions). */
  cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private accept(client: net.Socket): void {
    this.stats.connections++;
    this.track(client);
    const b = this.behaviour;
    if (b.refuse) {
      this.stats.refused++;
      client.resetAndDestroy();
      return;
    }
    if (this.rng.chance(b.stallProbability)) {
      this.stats.stalls++;
      client.on('data', () => undefined);
      const t = setTimeout(() => client.destroy(), b.stallMs);
      client.on('close', () => clearTimeout(t));
      return;
    }
    // A cut is a reset or a clean close, as a dropped mobile link or a middlebox would do.
    const hard = this.rng.chance(0.5);
    client.pause();
    const upstream = net.connect({ host: this.target.host, port: this.target.port, noDelay: true });
    this.track(upstream);
    let isCut = false;
    const cut = () => {
      if (isCut) return;
      isCut = true;
      this.stats.cuts++;
      if (hard) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.destroy();
        upstream.destroy();
      }
    };
    const toServer = new Pipe(
      upstream,
      this.up,
      () => this.behaviour.up,
      this.rng,
      (n) => {
        this.stats.bytesUp += n;
      },
      cut,
    );
    const toClient = new Pipe(
      client,
      this.down,
      () => this.behaviour.down,
      this.rng,
      (n) => {
        this.stats.bytesDown += n;
      },
      cut,
    );
    upstream.on('connect', () => client.resume());
    client.on('data', (c: Buffer) => toServer.push(c));
    upstream.on('data', (c: Buffer) => toClient.push(c));
    client.on('end', () => toServer.end());
    upstream.on('end', () => toClient.end());
    // One side gone for good: the other goes too (a refused or killed server resets the client).
    upstream.on('close', (hadError) => {
      if (hadError) client.resetAndDestroy();
    });
    client.on('close', () => {
      if (!upstream.destroyed) upstream.destroy();
    });
  }
}
