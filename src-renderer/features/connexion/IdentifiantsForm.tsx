// Adresse électronique and mot de passe: the login of the connexion screen and of the upload page.
import type { ReactNode } from 'react';
import { z } from 'zod';
import { emailField } from '../../../src-shared/api/auth';
import { Champ, FormulairePublic, useFormulairePublic } from './FormulairePublic';

const identifiants = z.object({
  email: emailField,
  password: z.string().min(1, { error: '« Mot de passe » est obligatoire.' }),
});

type Identifiants = { email: string; password: string };

export function IdentifiantsForm(p: {
  prefix: string;
  titre: string;
  consigne?: ReactNode;
  envoi: string;
  envoiEnCours?: string;
  /** Given the address trimmed; what it throws is shown above the fields. */
  connecter: (email: string, password: string) => Promise<void>;
  /** Below the button. */
  children?: ReactNode;
}) {
  const f = useFormulairePublic<Identifiants>({
    prefix: p.prefix,
    schema: identifiants,
    defaultValues: { email: '', password: '' },
    envoyer: (v) => p.connecter(v.email.trim(), v.password),
    echec: 'La connexion a échoué.',
  });
  return (
    <FormulairePublic
      f={f}
      titre={p.titre}
      consigne={p.consigne}
      envoi={p.envoi}
      envoiEnCours={p.envoiEnCours}
      apres={p.children}
    >
      <Champ f={f} name="email" label="Adresse électronique" type="email" autoComplete="username" />
      <Champ f={f} name="password" label="Mot de passe" type="password" autoComplete="current-password" />
    </FormulairePublic>
  );
}
