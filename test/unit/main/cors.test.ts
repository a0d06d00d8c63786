import { describe, expect, it } from 'vitest';
import { desktopCors, isUsableServerUrl } from '../../../src-main/cors';

const server = 'https://cncd.example.fr';

describe('desktop CORS for the configured server', () => {
  it('leaves other origins alone', () => {
    expect(
      desktopCors({ url: 'https://evil.example/api', method: 'GET', statusCode: 200, responseHeaders: {} }, server),
    ).toBeNull();
    expect(desktopCors({ url: 'https://cncd.example.fr:8443/api', method: 'GET', statusCode: 200 }, server)).toBeNull();
  });

  it('allows exactly app://atlas, replacing any header the server sent', () => {
    const r = desktopCors(
      {
        url: 'https://cncd.example.fr/api/v1/sync',
        method: 'POST',
        statusCode: 200,
        responseHeaders: {
          'Content-Type': ['application/json'],
          'access-control-allow-origin': ['*'],
          Vary: ['Accept-Encoding'],
        },
      },
      `${server}/`,
    );
    expect(r?.responseHeaders).toEqual({
      'Content-Type': ['application/json'],
      Vary: ['Accept-Encoding'],
      'Access-Control-Allow-Origin': ['app://atlas'],
      'Access-Control-Expose-Headers': ['Retry-After, Content-Encoding'],
    });
    expect(r?.statusLine).toBeUndefined();
  });

  it('turns a preflight the server does not know into a 200 with the needed headers', () => {
    const r = desktopCors(
      { url: 'https://cncd.example.fr/api/v1/sync', method: 'OPTIONS', statusCode: 404, responseHeaders: {} },
      server,
    );
    expect(r?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(r?.responseHeaders?.['Access-Control-Allow-Headers']?.[0]).toContain('authorization');
    expect(r?.responseHeaders?.['Access-Control-Allow-Headers']?.[0]).toContain('content-encoding');
    expect(r?.responseHeaders?.['Access-Control-Allow-Methods']).toEqual(['GET, POST, OPTIONS']);
  });

  it('accepts https anywhere and http only on this computer', () => {
    expect(isUsableServerUrl('https://recette.cncd.example.fr')).toBe(true);
    expect(isUsableServerUrl('http://127.0.0.1:8080')).toBe(true);
    expect(isUsableServerUrl('http://localhost:8080')).toBe(true);
    expect(isUsableServerUrl('http://cncd.example.fr')).toBe(false);
    expect(isUsableServerUrl('ftp://cncd.example.fr')).toBe(false);
  });
});
