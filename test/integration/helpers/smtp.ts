// A real SMTP server on 127.0.0.1 that keeps the messages it receives (tests follow their links).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export async function startSmtp(): Promise<{
  port: number;
  mails: ReceivedMail[];
  waitFor(to: string, match?: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    async waitFor(to, match, timeoutMs = 5_000) {
      const t0 = Date.now();
      for (;;) {
        const m = mails.find((x) => x.to.includes(to) && (!match || match.test(decode(x.raw))));
        if (m) return m;
        if (Date.now() - t0 > timeoutMs)
          throw new Error(
            `no mail for ${to} among ${mails.map((x) => x.to.join(',') + ': ' + decode(x.raw).slice(-400)).join(' | ')}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Body text of a simple message (quoted-printable soft breaks and escapes undone). */
export function decode(raw: string): string {
  const soft = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const m = /^=([0-9A-F]{2})/.exec(soft.slice(i, i + 3));
    if (m) {
      bytes.push(parseInt(m[1]!, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function linkToken(raw: string): string {
  const m = /token=([A-Za-z0-9_-]+)/.exec(decode(raw));
  if (!m) throw new Error('no token link in mail');
  return m[1]!;
}
