// Who is using the app and which collectivité the screens show.
import { createContext, useContext } from 'react';
import type { Role } from '../../src-shared/domain/roles';
import { UserFacingError } from '../ui/errors';

export interface CurrentUser {
  id: string;
  email: string;
  nom: string;
  role: Role;
  collectiviteId: string | null;
  collectiviteNom: string | null;
  region: string | null;
}

export interface AppContextValue {
  user: CurrentUser;
  /** Collectivité shown by the screens (an agent's own; chosen by SGAR/DAECT). */
  collectiviteId: string | null;
  setCollectiviteId(id: string | null): void;
  /** Agents (and DAECT) write; SGAR reads only. */
  canWrite: boolean;
  /**
   * Set while the viewer shows a snapshot with no account (app/Visionneuse.tsx): `canWrite` is false, the
   * user is a stand-in, and the screens offer no write of any kind (no avis, no attestation).
   */
  visionneuse?: boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v)
    throw new UserFacingError(
      'L’application n’a pas pu retrouver votre session. Rechargez-la : vos données restent sur ce poste.',
    );
  return v;
}

/** The collectivité in view; screens are only rendered once it is set. */
export function useCollectiviteId(): string {
  const { collectiviteId } = useApp();
  if (!collectiviteId)
    throw new UserFacingError(
      'Aucune collectivité n’est choisie : choisissez-en une dans « Changer de collectivité ».',
    );
  return collectiviteId;
}
