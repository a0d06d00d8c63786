// New password from the e-mailed link: `#/mot-de-passe/reinitialiser?token=…` (or the same path
// without the hash, when the server serves the app there).
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { password } from '../../../src-shared/api/auth';
import { href, useRoute } from '../../core/router';
import { resetPassword } from './api';
import { ErrorSummary, TextField, flattenErrors, schemaResolver, useFormId } from '../../ui/form';
import { userMessage } from '../../ui/errors';
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
  const formId = useFormId('reinit');
  const [submits, setSubmits] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<{ password: string; confirmation: string }>({
    defaultValues: { password: '', confirmation: '' },
    resolver: schemaResolver(schema, (v) => ({ ...v })),
    shouldFocusError: false,
  });
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = form;
  const onSubmit = handleSubmit(
    async (v) => {
      setError(null);
      try {
        setDone(await resetPassword(token, v.password));
      } catch (e) {
        setError(userMessage(e, 'La réinitialisation a échoué.'));
      }
    },
    () => setSubmits((n) => n + 1),
  );
  return (
    <main id="contenu" className="fr-container fr-my-6w" tabIndex={-1}>
      <div className="fr-grid-row fr-grid-row--center">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
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
            <form id={formId} onSubmit={onSubmit} noValidate>
              <p className="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
              <ErrorSummary formId={formId} errors={flattenErrors(errors)} focusKey={submits} />
              {error && (
                <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
                  <p>{error}</p>
                </div>
              )}
              <TextField
                formId={formId}
                name="password"
                label="Nouveau mot de passe"
                required
                type="password"
                autoComplete="new-password"
                hint="12 caractères au moins"
                reg={register('password')}
                error={errors.password?.message}
              />
              <TextField
                formId={formId}
                name="confirmation"
                label="Confirmez le mot de passe"
                required
                type="password"
                autoComplete="new-password"
                reg={register('confirmation')}
                error={errors.confirmation?.message}
              />
              <button type="submit" className="fr-btn" disabled={isSubmitting || !token}>
                Enregistrer le mot de passe
              </button>
            </form>
          )}
        </div>
      </div>
    </main>
  );
}
