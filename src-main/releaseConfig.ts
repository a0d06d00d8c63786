// What a build fixes about updates: where they come from and the key that must have signed them.
// Neither follows the sync server chosen in the settings (that address is the renderer's to change).
// The feed URL is set at build time (ATLAS_UPDATES_URL, checked and defined by electron.vite.config.ts);
// the public key is resources/release-public-key.pem (npm run release:keygen), bundled into main.js.
import RELEASE_PUBLIC_KEY_PEM from '../resources/release-public-key.pem?raw';
import { DEFAULT_UPDATES_FEED_URL } from './updateFeedUrl';

declare const __ATLAS_UPDATES_URL__: string | undefined;

export const UPDATES_FEED_URL: string =
  typeof __ATLAS_UPDATES_URL__ === 'string' ? __ATLAS_UPDATES_URL__ : DEFAULT_UPDATES_FEED_URL;

export { RELEASE_PUBLIC_KEY_PEM };
