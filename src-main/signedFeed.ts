// electron-updater's generic provider, made to refuse unsigned metadata: every channel file
// (latest.yml, latest-linux.yml, latest-mac.yml) is fetched with its `.sig`, verified with the
// release public key before it is parsed, and an older version than the running app is refused
// whatever `allowDowngrade` says (a replayed, correctly signed old release is a downgrade attack).
// Nothing is downloaded unless getLatestVersion returns, so a refusal here means no install.
import type { KeyObject } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { CancellationToken, CustomPublishOptions, UpdateInfo } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import { checkMetadataSignature, loadReleasePublicKey, SIGNATURE_SUFFIX } from './updateSignature';

export const UPDATE_SIGNATURE_ERROR = 'ERR_ATLAS_UPDATE_SIGNATURE';
export const UPDATE_DOWNGRADE_ERROR = 'ERR_ATLAS_UPDATE_DOWNGRADE';

export interface SignedFeedOptions extends CustomPublishOptions {
  readonly provider: 'custom';
  readonly url: string;
  /** PEM (SPKI) of the release key, Ed25519. */
  readonly publicKeyPem: string;
  readonly log: (m: string) => void;
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

class SignedFeedProvider extends GenericProvider {
  private readonly key: KeyObject;
  private readonly log: (m: string) => void;
  private readonly app: AppUpdater;

  /** electron-updater calls this with the options given to setFeedURL (see signedFeed below). */
  constructor(options: CustomPublishOptions, updater: AppUpdater, runtimeOptions: ProviderRuntimeOptions) {
    const { url, publicKeyPem, log } = options;
    if (typeof url !== 'string' || typeof publicKeyPem !== 'string' || typeof log !== 'function') {
      throw codedError('signed feed needs url, publicKeyPem and log', 'ERR_UPDATER_INVALID_PROVIDER_CONFIGURATION');
    }
    super({ provider: 'generic', url }, updater, runtimeOptions);
    this.key = loadReleasePublicKey(publicKeyPem);
    this.log = log as (m: string) => void;
    this.app = updater;
  }

  override async getLatestVersion(): Promise<UpdateInfo> {
    const info = await super.getLatestVersion();
    if (this.app.currentVersion.compare(info.version) > 0) {
      this.log(
        `update refused: ${info.version} is older than the running ${this.app.currentVersion.format()} (downgrade)`,
      );
      throw codedError(
        `Update ${info.version} refused: older than ${this.app.currentVersion.format()}`,
        UPDATE_DOWNGRADE_ERROR,
      );
    }
    return info;
  }

  /** GenericProvider fetches only channel files through here: each must come with a valid signature. */
  protected override async httpRequest(
    url: URL,
    headers?: OutgoingHttpHeaders | null,
    token?: CancellationToken,
  ): Promise<string | null> {
    const metadata = await super.httpRequest(url, headers, token);
    const sigUrl = new URL(url.href);
    sigUrl.pathname += SIGNATURE_SUFFIX;
    let signature: string | null;
    try {
      signature = await super.httpRequest(sigUrl, headers, token);
    } catch (e) {
      // A missing signature is a refusal, never "no release published" (which a 404 would mean here).
      if ((e as { statusCode?: unknown }).statusCode !== 404) throw e;
      signature = null;
    }
    const check = checkMetadataSignature(metadata ?? '', signature, this.key);
    if (!check.ok) {
      const file = url.pathname.split('/').pop() ?? '';
      this.log(`update refused: signature of ${file} ${check.reason} (nothing downloaded)`);
      throw codedError(`Update metadata ${file} refused: signature ${check.reason}`, UPDATE_SIGNATURE_ERROR);
    }
    return metadata;
  }
}

/** The options for `setFeedURL`: the generic feed at `url`, verified with `publicKeyPem`. */
export function signedFeed(url: string, publicKeyPem: string, log: (m: string) => void): SignedFeedOptions {
  // Fail at start, not at the first check, when the bundled key is unusable.
  loadReleasePublicKey(publicKeyPem);
  return { provider: 'custom', updateProvider: SignedFeedProvider, url, publicKeyPem, log };
}
