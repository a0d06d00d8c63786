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
