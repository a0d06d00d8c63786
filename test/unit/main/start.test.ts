// `npm start` on this machine (no Electron binary): builds if stale, starts the server, prints the
// one French fallback line, serves the app to browsers, announces each mail written as an .eml file (no SMTP), and
// stops everything on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('npm start (browser fallback)', () => {
  it('serves the app, says Electron is missing in French, prints the path of each mail written to a file, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        CNCD_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'atlas-start-')),
        SEED_DEMO: '0',
        ELECTRON_PATH: path.join(tmpdir(), 'no-electron-here'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const url = `http://127.0.0.1:${port}/`;
    const line = `Electron n’est pas disponible sur cette machine : l’application reste accessible dans un navigateur à l’adresse ${url}`;
    const deadline = Date.now() + 150_000;
    while (!out.includes(line) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain(line);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    expect((await fetch(`${url}api/health`)).status).toBe(200);

    // No SMTP_URL: each mail becomes an .eml file, and npm start says where, in French, despite its log level.
    const email = 'demande.start@mairie-saint-brieuc.fr';
    const request = await fetch(`${url}api/v1/accounts/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email,
        nom: 'Demande Start',
        fonction: 'Chargée de mission',
        collectiviteCode: 'commune:22278',
        password: 'un-mot-de-passe-solide',
      }),
    });
    expect(request.status).toBe(202);
    const mailLine = new RegExp(
      `\\[atlas\\] Courriel « .+ » pour ${email.replace(/\./g, '\\.')}, non envoyé \\(pas de SMTP_URL\\) : lisez-le dans \\S+\\.eml`,
    );
    const mailDeadline = Date.now() + 20_000;
    while (!mailLine.test(out) && Date.now() < mailDeadline) await new Promise((r) => setTimeout(r, 200));
    expect(out).toMatch(mailLine);
    const eml = /lisez-le dans (\S+\.eml)/.exec(out)![1]!;
    expect(readFileSync(eml, 'utf8')).toContain(email);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('tout est arrêté');
    await expect(fetch(url)).rejects.toThrow();
  }, 200_000);
});
