// What the settings say when the session token is not protected by the operating system (pure, unit-tested).
import type { SecretStorageInfo } from '../../core/platform';

export interface SecretNotice {
  title: string;
  paragraphs: string[];
}

/** Null when the operating system protects the secrets (Keychain, DPAPI, libsecret/kwallet). */
export function secretStorageNotice(kind: 'electron' | 'web', info: SecretStorageInfo): SecretNotice | null {
  if (!info.weak) return null;
  if (kind === 'web') {
    return {
      title: 'Session conservée dans ce navigateur',
      paragraphs: [
        'Votre jeton de session est conservé dans ce navigateur, sans protection supplémentaire du système d’exploitation.',
        'Toute personne qui utilise ce navigateur avec votre session Windows, macOS ou Linux peut accéder à l’Atlas en votre nom, sans saisir votre mot de passe. Sur un poste partagé, déconnectez-vous après chaque utilisation.',
      ],
    };
  }
  return {
    title: 'Session conservée sans la protection du système',
    paragraphs: [
      'Sur cet ordinateur, votre jeton de session est enregistré sans la protection du système d’exploitation (par exemple sous Linux sans trousseau de clés : GNOME Keyring ou KWallet).',
      'Toute personne ayant accès à votre compte sur cet ordinateur, ou à une copie de son disque, pourrait utiliser l’Atlas en votre nom sans saisir votre mot de passe. Vos données restent utilisables normalement.',
      'Sur un poste partagé, déconnectez-vous après chaque utilisation. Pour une meilleure protection, demandez à votre service informatique d’activer un trousseau de clés, puis reconnectez-vous.',
    ],
  };
}
