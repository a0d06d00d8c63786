// Bumped whenever a bundled list changes, so devices and server can tell which lists they hold.
export const REFERENCE_VERSION = '2026.1';
