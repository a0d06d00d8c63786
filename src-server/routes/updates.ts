// The desktop update feed for electron-updater's `generic` provider: GET /updates/<file> serves the
// releases folder (latest*.yml, installers, blockmaps) with HTTP Range support, single and multiple
// ranges (multipart/byteranges, which the differential downloader uses). Flat folder, no listing.
// Each latest*.yml comes with its detached Ed25519 signature `latest*.yml.sig` (npm run release:sign),
// which the desktop app checks before downloading anything: this server is not trusted for updates.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface UpdatesRoutesOptions {
  /** Releases folder; default `CNCD_UPDATES_DIR`, else `<dataDir>/updates`. */
  dir: string;
}

export function resolveUpdatesDir(dataDir: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CNCD_UPDATES_DIR) return path.resolve(env.CNCD_UPDATES_DIR);
  return path.join(dataDir ?? path.resolve('data/cncd'), 'updates');
}

/** Names electron-builder produces: letters, digits, spaces, dots, dashes, underscores, plus. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,199}$/;
/**
 * electron-updater's differential download asks for up to 1,000 ranges per request, in ascending order
 * and disjoint. Overlapping or out-of-order ranges are refused: `bytes=0-,0-,…` would otherwise make
 * the server send the file once per range (an amplification).
 */
const MAX_RANGES = 1_000;

const TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.sig': 'text/plain; charset=utf-8',
  '.blockmap': 'application/octet-stream',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.appimage': 'application/octet-stream',
  '.deb': 'application/vnd.debian.binary-package',
  '.dmg': 'application/x-apple-diskimage',
  '.zip': 'application/zip',
};

type Range = { start: number; end: number };

/**
 * Parses `bytes=a-b,c-,-n`; null when the header is not a byte range we honour (→ full body);
 * 'overlapping' when the ranges overlap or are out of order, or are too many (→ 416).
 */
function parseRange(header: string, size: number): Range[] | 'unsatisfiable' | 'overlapping' | null {
  const m = /^bytes=(.+)$/.exec(header.trim());
  if (!m || !m[1]) return null;
  const parts = m[1].split(',');
  if (parts.length > MAX_RANGES) return 'overlapping';
  const ranges: Range[] = [];
  for (const raw of parts) {
    const p = /^\s*(\d*)-(\d*)\s*$/.exec(raw);
    if (!p) return null;
    const [, a = '', b = ''] = p;
    if (a === '' && b === '') return null;
    let start: number;
    let end: number;
    if (a === '') {
      const n = Number(b);
      if (n === 0) continue;
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Number(a);
      end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
      if (b !== '' && Number(b) < start) return null;
    }
    if (start >= size || start > end) continue;
    const last = ranges[ranges.length - 1];
    if (last && start <= last.end) return 'overlapping';
    ranges.push({ start, end });
  }
  return ranges.length === 0 ? 'unsatisfiable' : ranges;
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ code: 'NOT_FOUND', message: 'Fichier de mise à jour introuvable.' });
}

export const updatesRoutes: FastifyPluginAsync<UpdatesRoutesOptions> = async (app, opts) => {
  const root = path.resolve(opts.dir);

  const handler = async (
    req: { params: unknown; headers: Record<string, string | string[] | undefined>; method: string },
    reply: FastifyReply,
  ) => {
    const name = String((req.params as Record<string, string>)['*'] ?? '');
    if (!SAFE_NAME.test(name) || name.includes('..')) return notFound(reply);
    const file = path.join(root, name);
    if (path.dirname(file) !== root) return notFound(reply);
    let info;
    try {
      info = await stat(file);
    } catch {
      return notFound(reply);
    }
    if (!info.isFile()) return notFound(reply);

    const size = info.size;
    const ext = path.extname(name).toLowerCase();
    const type = TYPES[ext] ?? 'application/octet-stream';
    const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    reply.header('Accept-Ranges', 'bytes');
    reply.header('ETag', etag);
    reply.header('Last-Modified', info.mtime.toUTCString());
    reply.header('X-Content-Type-Options', 'nosniff');
    // The feed files and their signatures change at each release; artefacts are immutable by name and version.
    reply.header(
      'Cache-Control',
      ext === '.yml' || ext === '.yaml' || ext === '.sig' ? 'no-cache' : 'public, max-age=86400',
    );

    const ifNoneMatch = req.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && ifNoneMatch === etag) return reply.code(304).send();

    const head = req.method === 'HEAD';
    const rangeHeader = req.headers['range'];
    const ifRange = req.headers['if-range'];
    const rangeApplies = typeof rangeHeader === 'string' && (typeof ifRange !== 'string' || ifRange === etag);
    const ranges = rangeApplies ? parseRange(rangeHeader, size) : null;

    if (ranges === 'unsatisfiable') {
      reply.header('Content-Range', `bytes */${size}`);
      return reply.code(416).send({ code: 'RANGE_NOT_SATISFIABLE', message: 'Plage d’octets invalide.' });
    }
    if (ranges === 'overlapping') {
      reply.header('Content-Range', `bytes */${size}`);
      return reply.code(416).send({
        code: 'RANGE_OVERLAPPING',
        message: `Plages d’octets refusées : elles doivent être disjointes, dans l’ordre croissant et au plus ${MAX_RANGES.toLocaleString('fr-FR')}.`,
      });
    }
    if (ranges === null) {
      reply.header('Content-Type', type).header('Content-Length', String(size));
      return reply.code(200).send(head ? undefined : createReadStream(file));
    }
    if (ranges.length === 1) {
      const [r] = ranges as [Range];
      reply
        .code(206)
        .header('Content-Type', type)
        .header('Content-Range', `bytes ${r.start}-${r.end}/${size}`)
        .header('Content-Length', String(r.end - r.start + 1));
      return reply.send(head ? undefined : createReadStream(file, { start: r.start, end: r.end }));
    }
    const boundary = randomBytes(12).toString('hex');
    const partHeaders = ranges.map(
      (r) => `\r\n--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
    );
    const closing = `\r\n--${boundary}--\r\n`;
    const length =
      ranges.reduce((n, r, i) => n + Buffer.byteLength(partHeaders[i] as string) + (r.end - r.start + 1), 0) +
      Buffer.byteLength(closing);
    reply
      .code(206)
      .header('Content-Type', `multipart/byteranges; boundary=${boundary}`)
      .header('Content-Length', String(length));
    if (head) return reply.send();
    return reply.send(multipartBody(file, ranges, partHeaders, closing));
  };

  const routeOptions = { compress: false } as Record<string, unknown>;
  // HEAD first: Fastify only lets a custom HEAD route sit beside a GET declared after it.
  app.head('/*', routeOptions, handler);
  app.get('/*', routeOptions, handler);
};

function multipartBody(file: string, ranges: Range[], partHeaders: string[], closing: string): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i] as Range;
        out.write(partHeaders[i]);
        for await (const chunk of createReadStream(file, { start: r.start, end: r.end })) {
          if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
        }
      }
      out.end(closing);
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error('read failed'));
    }
  })();
  return out;
}
