// src-shared is compiled with lib ES2023 only (neither DOM nor Node types): it runs in Node, the
// browser and Electron. These few globals exist in all three; only what the shared code uses.
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly hash: string;
  readonly host: string;
  readonly hostname: string;
  readonly href: string;
  readonly origin: string;
  readonly password: string;
  readonly pathname: string;
  readonly port: string;
  readonly protocol: string;
  readonly search: string;
  readonly username: string;
  toString(): string;
}

// Text, hashing, signatures and gzip for the files that carry sync (files/container.ts): Web APIs that Node
// (20+), Chromium and Electron all have as globals.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
interface CryptoKey {
  readonly type: string;
}
interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'raw' | 'pkcs8' | 'spki',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ('sign' | 'verify')[],
  ): Promise<CryptoKey>;
  sign(algorithm: { name: 'Ed25519' }, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: { name: 'Ed25519' }, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
declare const crypto: { readonly subtle: SubtleCrypto };
interface ReadableStreamReadResult<T> {
  done: boolean;
  value?: T;
}
interface ReadableStreamDefaultReader<T> {
  read(): Promise<ReadableStreamReadResult<T>>;
  cancel(reason?: unknown): Promise<void>;
}
interface WritableStreamDefaultWriter<T> {
  write(chunk: T): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
interface ReadableStream<T> {
  getReader(): ReadableStreamDefaultReader<T>;
}
interface WritableStream<T> {
  getWriter(): WritableStreamDefaultWriter<T>;
}
declare class CompressionStream {
  constructor(format: 'gzip');
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
declare class DecompressionStream {
  constructor(format: 'gzip');
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
