// A TCP proxy in front of the test server whose link can "swallow packets": in black-hole mode it
// accepts connections but nothing goes through either way (no refusal, no reset), like a captive
// portal or a dead 4G link. Restoring lets held bytes through, as TCP does when a link comes back.
import net from 'node:net';

export class LinkProxy {
  private blackHoled = false;
  /** Each socket with the bytes held for it while the link was a black hole. */
  private readonly links = new Set<{ s: net.Socket; held: Buffer[] }>();
  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<LinkProxy> {
    const t = new URL(target);
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = new LinkProxy(server, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    server.on('connection', (client) => proxy.connect(client, t.hostname, Number(t.port)));
    return proxy;
  }

  private connect(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect(port, host);
    const held = new Map<net.Socket, Buffer[]>([
      [client, []],
      [upstream, []],
    ]);
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => {
        if (this.blackHoled) held.get(to)!.push(chunk);
        else to.write(chunk);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    for (const s of [client, upstream]) {
      this.links.add({ s, held: held.get(s)! });
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => {
        for (const l of this.links) if (l.s === s) this.links.delete(l);
        client.destroy();
        upstream.destroy();
      });
      if (this.blackHoled) s.pause();
    }
  }

  /** Nothing goes through any more, on open connections and new ones; nothing is refused either. */
  blackHole(): void {
    this.blackHoled = true;
    for (const l of this.links) l.s.pause();
  }

  restore(): void {
    this.blackHoled = false;
    for (const l of this.links) {
      for (const chunk of l.held.splice(0)) l.s.write(chunk);
      l.s.resume();
    }
  }

  async close(): Promise<void> {
    for (const l of this.links) l.s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}
