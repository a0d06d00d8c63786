// New password from the e-mailed link: `#/mot-de-passe/reinitialiser?token=…` (or the same path
// without the hash, when the server serves the app there).
import { useState } from 'react';
import { z } from 'zod';
import { password } from '../../../src-shared/api/auth';
import { href, useRoute } from '../../core/router';
import { resetPassword } from './api';
import { ColonneConnexion } from './Cadre';
import { Champ, FormulairePublic, useFormulairePublic } from './FormulairePublic';
import { pageTitle, useDocumentTitle } from '../../ui/pageTitle';

export function isResetRoute(path: string[]): boolean {
  return (
    (path[0] === 'mot-de-passe' && path[1] === 'reinitialiser') ||
    /\/mot-de-passe\/reinitialiser\/?$/.test(window.location.pathname)
  );
}

const schema = z.object({ password, confirmation: z.string() }).refine((v) => v.password === v.confirmation, {
  path: ['confirmation'],
  error: 'Les deux mots de passe ne sont pas identiques.',
});

export function ResetPasswordScreen() {
  useDocumentTitle(pageTitle('Nouveau mot de passe'));
  const route = useRoute();
  const token = route.query.get('token') ?? new URLSearchParams(window.location.search).get('token') ?? '';
  const [done, setDone] = useState<string | null>(null);
  const f = useFormulairePublic<{ password: string; confirmation: string }>({
    prefix: 'reinit',
    schema,
    defaultValues: { password: '', confirmation: '' },
    envoyer: async (v) => setDone(await resetPassword(token, v.password)),
    echec: 'La réinitialisation a échoué.',
  });
  return (
    <ColonneConnexion etroite>
      <h1>Choisir un nouveau mot de passe</h1>
      {!token && (
        <div className="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>Ce lien est incomplet : utilisez le lien reçu par courriel, ou demandez-en un nouveau.</p>
        </div>
      )}
      {done ? (
        <div className="fr-alert fr-alert--success" role="status">
          <p>{done}</p>
          <p>
            <a href={href('/')}>Se connecter</a>
          </p>
        </div>
      ) : (
        <FormulairePublic f={f} envoi="Enregistrer le mot de passe" bloque={!token}>
          <Champ
            f={f}
            name="password"
            label="Nouveau mot de passe"
            type="password"
            autoComplete="new-password"
            hint="12 caractères au moins"
          />
          <Champ
            f={f}
            name="confirmation"
            label="Confirmez le mot de passe"
            type="password"
            autoComplete="new-password"
          />
        </FormulairePublic>
      )}
    </ColonneConnexion>
  );
}
