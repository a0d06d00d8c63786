// Connexion: log in, request an account (collectivité picked from the official index, search as you
// type), forgotten password; the server address is a setting.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { accountRequest, type CollectiviteSearchResponse } from '../../../src-shared/api/accounts';
import { emailField } from '../../../src-shared/api/auth';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { getServerUrl, isDesktop, secretStorageInfo, setServerUrl } from '../../core/platform';
import { userMessage } from '../../ui/errors';
import { pageTitle, useDocumentTitle } from '../../ui/pageTitle';
import { forgotPassword, requestAccount, searchCollectivites } from './api';
import { secretStorageNotice, type SecretNotice } from './secretNotice';
import { ServerChangeModal } from './ServerChangeModal';
import { PageConnexion } from './Cadre';
import { Champ, FormulairePublic, useFormulairePublic } from './FormulairePublic';
import { IdentifiantsForm } from './IdentifiantsForm';
import { OuvrirInstantane } from '../visionneuse/OuvrirInstantane';
import { DEPOT_PATH } from './depotRoute';
import { href } from '../../core/router';

type Tab = 'login' | 'request' | 'forgot' | 'settings';

export function ConnexionScreen() {
  const [tab, setTab] = useState<Tab>('login');
  useDocumentTitle(pageTitle('Connexion'));
  const tabs: { id: Tab; label: string }[] = [
    { id: 'login', label: 'Se connecter' },
    { id: 'request', label: 'Demander un compte' },
    { id: 'forgot', label: 'Mot de passe oublié' },
    { id: 'settings', label: 'Adresse du serveur' },
  ];
  return (
    <PageConnexion>
      <h1>Connexion à l’Atlas hors ligne</h1>
      <p>
        Mettez à jour les pages de votre collectivité dans l’Atlas français de la coopération décentralisée, même sans
        connexion.
      </p>
      <div className="fr-tabs">
        <ul className="fr-tabs__list" role="tablist" aria-label="Connexion et compte">
          {tabs.map((t) => (
            <li key={t.id} role="presentation">
              <button
                type="button"
                id={`onglet-${t.id}`}
                className="fr-tabs__tab"
                role="tab"
                aria-selected={tab === t.id}
                aria-controls={`panneau-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => {
                  const i = tabs.findIndex((x) => x.id === t.id);
                  const next =
                    e.key === 'ArrowRight'
                      ? tabs[(i + 1) % tabs.length]
                      : e.key === 'ArrowLeft'
                        ? tabs[(i + tabs.length - 1) % tabs.length]
                        : null;
                  if (next) {
                    setTab(next.id);
                    document.getElementById(`onglet-${next.id}`)?.focus();
                  }
                }}
              >
                {t.label}
              </button>
            </li>
          ))}
        </ul>
        <div
          id={`panneau-${tab}`}
          className="fr-tabs__panel fr-tabs__panel--selected"
          role="tabpanel"
          aria-labelledby={`onglet-${tab}`}
          tabIndex={0}
        >
          {tab === 'login' && <LoginForm />}
          {tab === 'request' && <RequestForm />}
          {tab === 'forgot' && <ForgotForm />}
          {tab === 'settings' && <ServerSettings />}
        </div>
      </div>
      <div className="fr-mt-4w">
        <h2 className="fr-h6 fr-mb-1w">Sans copie des données sur cet ordinateur</h2>
        <p className="fr-text--sm fr-mb-1w">
          Un fichier de modifications (.atlas-modifs) enregistré par un poste sans réseau peut être transmis au serveur
          depuis n’importe quel navigateur, sans attendre la copie de votre périmètre.
        </p>
        <a className="fr-link" href={href(DEPOT_PATH)}>
          Déposer un paquet de modifications
        </a>
      </div>
      <section className="fr-mt-4w" aria-labelledby="titre-instantane">
        <h2 id="titre-instantane" className="fr-h6 fr-mb-1w">
          Consulter un instantané sans compte
        </h2>
        <p className="fr-text--sm fr-mb-1w">
          Un instantané (.atlas-instantane) est une copie signée des données d’une collectivité ou d’une région, remise
          par les services de l’État : il s’ouvre ici en lecture seule, sans compte ni connexion.
        </p>
        <OuvrirInstantane secondary />
      </section>
    </PageConnexion>
  );
}

function LoginForm() {
  return (
    <IdentifiantsForm
      prefix="login"
      titre="Se connecter"
      envoi="Se connecter"
      envoiEnCours="Connexion…"
      connecter={async (email, password) => {
        const { login } = await import('../../core/sessionStore');
        await login({ email, password });
      }}
    >
      <p className="fr-text--sm fr-mt-2w">
        La première connexion demande un accès au réseau ; ensuite, l’application fonctionne hors ligne.
      </p>
    </IdentifiantsForm>
  );
}

type Hit = CollectiviteSearchResponse['results'][number];

type RValues = {
  email: string;
  nom: string;
  fonction: string;
  collectiviteCode: string;
  password: string;
};

function RequestForm() {
  const [done, setDone] = useState(false);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const f = useFormulairePublic<RValues>({
    prefix: 'demande',
    schema: accountRequest,
    defaultValues: { email: '', nom: '', fonction: '', collectiviteCode: '', password: '' },
    envoyer: async (v) => {
      await requestAccount(v);
      setDone(true);
    },
    echec: 'La demande n’a pas pu être envoyée.',
  });
  const { formId, errors } = f;
  const chosen = f.form.watch('collectiviteCode');
  useEffect(() => {
    if (q.trim().length < 2) {
      setHits([]);
      return;
    }
    const t = setTimeout(() => {
      searchCollectivites(q.trim()).then(
        (r) => {
          setHits(r);
          setSearchError(null);
        },
        (e: unknown) => setSearchError(userMessage(e, 'La recherche a échoué.')),
      );
    }, 200);
    return () => clearTimeout(t);
  }, [q]);
  if (done) {
    return (
      <div className="fr-alert fr-alert--success" role="status">
        <h2 className="fr-alert__title">Demande envoyée</h2>
        <p>
          Si l’adresse est valide, vous allez recevoir un courriel pour la confirmer. Votre compte sera ensuite validé
          par un agent de votre collectivité ou par les services de l’État.
        </p>
      </div>
    );
  }
  return (
    <FormulairePublic f={f} titre="Demander un compte" envoi="Envoyer la demande">
      <div className={`fr-input-group${errors.collectiviteCode ? ' fr-input-group--error' : ''}`}>
        <label className="fr-label" htmlFor={`${formId}-collectiviteCode`}>
          Votre collectivité
          <span aria-hidden="true" className="atlas-required">
            {' '}
            *
          </span>
          <span className="fr-sr-only"> (obligatoire)</span>
          <span className="fr-hint-text">Tapez son nom, son code postal ou son code INSEE / SIREN</span>
        </label>
        <input
          className="fr-input"
          id={`${formId}-collectiviteCode`}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          aria-describedby={`${formId}-resultats`}
        />
        {errors.collectiviteCode && <p className="fr-error-text">{errors.collectiviteCode.message}</p>}
      </div>
      <div id={`${formId}-resultats`} aria-live="polite">
        {searchError && <p className="fr-error-text">{searchError}</p>}
        {hits.length > 0 && (
          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend fr-text--regular">
              {hits.length} résultat{hits.length > 1 ? 's' : ''}
            </legend>
            {hits.map((h) => (
              <div className="fr-fieldset__element" key={h.code}>
                <div className="fr-radio-group">
                  <input
                    type="radio"
                    id={`${formId}-c-${h.code}`}
                    name={`${formId}-coll`}
                    checked={chosen === h.code}
                    onChange={() => f.form.setValue('collectiviteCode', h.code, { shouldValidate: true })}
                  />
                  <label className="fr-label" htmlFor={`${formId}-c-${h.code}`}>
                    {h.nom}
                    <span className="fr-hint-text">
                      {COLLECTIVITE_TYPE_LABELS[h.type]}
                      {h.departement ? ` — département ${h.departement}` : ''}
                      {h.codesPostaux[0] ? ` — ${h.codesPostaux[0]}` : ''}
                    </span>
                  </label>
                </div>
              </div>
            ))}
          </fieldset>
        )}
      </div>
      <Champ f={f} name="nom" label="Prénom et nom" autoComplete="name" />
      <Champ f={f} name="fonction" label="Fonction" />
      <Champ f={f} name="email" label="Adresse électronique professionnelle" type="email" autoComplete="email" />
      <Champ
        f={f}
        name="password"
        label="Mot de passe"
        type="password"
        autoComplete="new-password"
        hint="12 caractères au moins"
      />
    </FormulairePublic>
  );
}

function ForgotForm() {
  const [msg, setMsg] = useState<string | null>(null);
  const f = useFormulairePublic<{ email: string }>({
    prefix: 'oubli',
    schema: z.object({ email: emailField }),
    defaultValues: { email: '' },
    envoyer: async (v) => setMsg(await forgotPassword(v.email.trim())),
    echec: 'L’envoi a échoué.',
  });
  return (
    <FormulairePublic
      f={f}
      titre="Mot de passe oublié"
      intro={<p>Indiquez votre adresse : vous recevrez un lien pour choisir un nouveau mot de passe.</p>}
      succes={msg}
      envoi="Recevoir le lien"
    >
      <Champ f={f} name="email" label="Adresse électronique" type="email" autoComplete="email" />
    </FormulairePublic>
  );
}

function ServerSettings() {
  const [url, setUrl] = useState('');
  const [saved, setSaved] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secretNotice, setSecretNotice] = useState<SecretNotice | null>(null);
  useEffect(() => {
    void getServerUrl().then((u) => {
      setUrl(u);
      setSaved(u);
    });
  }, []);
  useEffect(() => {
    secretStorageInfo().then(
      (info) => setSecretNotice(secretStorageNotice(isDesktop() ? 'electron' : 'web', info)),
      () => setSecretNotice(null),
    );
  }, []);
  const save = async (next: string) => {
    try {
      await setServerUrl(next);
      setSaved(next);
      setMsg('Adresse enregistrée.');
    } catch (err) {
      setError(userMessage(err, 'L’adresse n’a pas pu être enregistrée.'));
    }
  };
  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setMsg(null);
          setError(null);
          const next = url.trim();
          if (!/^https?:\/\/[^\s]+$/i.test(next)) {
            setError('« Adresse du serveur » doit commencer par https:// (ou http:// sur un réseau local).');
            return;
          }
          if (next.replace(/\/+$/, '') === saved.replace(/\/+$/, '')) {
            setMsg('Adresse inchangée.');
            return;
          }
          // Another server: say what it means and wait for an explicit yes.
          setPending(next);
        }}
        noValidate
      >
        <h2 className="fr-h4">Adresse du serveur</h2>
        <div className={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
          <label className="fr-label" htmlFor="adresse-serveur">
            Adresse du serveur CNCD
            <span className="fr-hint-text">Fournie par la DAECT, par exemple https://atlas.example.gouv.fr</span>
          </label>
          <input
            className="fr-input"
            id="adresse-serveur"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-describedby={error ? 'adresse-serveur-erreur' : undefined}
            aria-invalid={error ? true : undefined}
          />
          {error && (
            <p id="adresse-serveur-erreur" className="fr-error-text" role="alert">
              {error}
            </p>
          )}
        </div>
        {msg && (
          <p role="status" className="fr-text--sm">
            {msg}
          </p>
        )}
        <button type="submit" className="fr-btn">
          Enregistrer l’adresse
        </button>
        {secretNotice && (
          <div className="fr-alert fr-alert--warning fr-mt-4w" data-testid="secrets-faibles">
            <h3 className="fr-alert__title">{secretNotice.title}</h3>
            {secretNotice.paragraphs.map((p) => (
              <p key={p}>{p}</p>
            ))}
          </div>
        )}
      </form>
      {/* Outside the form: its buttons must not submit it. */}
      <ServerChangeModal
        current={saved}
        next={pending}
        desktop={isDesktop()}
        onConfirm={() => {
          if (pending) void save(pending);
          setPending(null);
        }}
        onCancel={() => setPending(null)}
      />
    </>
  );
}
