// npx tsx bench/client/pull.ts — where the server's time goes when a device imports the national data:
// the pull query (src-server/sync/pull.ts), JSON, and each response compression with its bytes.
// Complements bench:client (which times the whole import in Chromium). Writes bench/results/client-pull.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Actor } from '../../src-server/sync/actor';
import { pull } from '../../src-server/sync/pull';
import { startNationalServer } from './data';

const { handle } = await startNationalServer();
const { db, sync } = handle.app.cncd;
const watermark = sync.revs.watermark();
const actor: Actor = {
  role: 'daect',
  userId: '00000000-0000-7000-8000-000000000000',
  collectiviteId: null,
  region: null,
  deviceId: '00000000-0000-7000-8000-000000000001',
  label: 'Banc (pull)',
};
const figures: Record<string, number> = {};
const add = (k: string, v: number) => {
  figures[k] = (figures[k] ?? 0) + v;
};
const codecs: Record<string, (s: string) => Buffer> = {
  brotli_q2: (s) => zlib.brotliCompressSync(s, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 2 } }),
  brotli_q4: (s) => zlib.brotliCompressSync(s, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }),
  brotli_q5: (s) => zlib.brotliCompressSync(s, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip_l1: (s) => zlib.gzipSync(s, { level: 1 }),
  gzip_l6: (s) => zlib.gzipSync(s, { level: 6 }),
};
try {
  let cursor = 0;
  for (;;) {
    let t = performance.now();
    const page = await pull(db, actor, cursor, 5_000, watermark, new Map());
    add('pull_query_ms', performance.now() - t);
    t = performance.now();
    const json = JSON.stringify({
      v: 1,
      results: [],
      changes: page.changes,
      conflicts: page.conflicts,
      cursor: String(page.cursor),
      more: page.more,
    });
    add('json_stringify_ms', performance.now() - t);
    add('json_bytes', Buffer.byteLength(json));
    add('pages', 1);
    add('records', page.changes.length);
    for (const [name, fn] of Object.entries(codecs)) {
      t = performance.now();
      const out = fn(json);
      add(`${name}_ms`, performance.now() - t);
      add(`${name}_bytes`, out.length);
    }
    cursor = page.cursor;
    if (!page.more) break;
  }
} finally {
  await handle.close();
}
for (const k of Object.keys(figures)) figures[k] = Math.round(figures[k]!);
for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'results');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(
  path.join(dir, 'client-pull.json'),
  JSON.stringify({ bench: 'client-pull', at: new Date().toISOString(), figures }, null, 2) + '\n',
);
