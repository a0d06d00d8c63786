import type { NATURES } from '../../../src-shared/domain/partenariat';
export type Nature = (typeof NATURES)[number];
