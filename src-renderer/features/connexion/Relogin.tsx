// Shown when the session lapsed: log in again without losing anything on the device.
import { useState } from 'react';
import { login, useSession } from '../../core/data';
import { useApp } from '../../core/context';
import { userMessage } from '../../ui/errors';

export function Relogin() {
  const { user } = useApp();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The server said why it ended the session (a disabled account): its French message, as is.
  const ended = useSession()?.ended;
  const disabled = ended?.code === 'ACCOUNT_DISABLED';
  return (
    <form
      className="fr-alert fr-alert--warning fr-mb-0"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await login({ email: user.email, password });
          setPassword('');
        } catch (err) {
          setError(userMessage(err, 'La connexion a échoué.'));
        }
        setBusy(false);
      }}
    >
      <h2 className="fr-alert__title">{disabled ? 'Votre compte a été désactivé' : 'Votre session a expiré'}</h2>
      {disabled ? (
        <p data-testid="session-fermee">
          {ended.message} Une fois le compte réactivé, saisissez votre mot de passe pour reprendre la synchronisation.
        </p>
      ) : (
        <p>
          Vos données et vos modifications restent sur ce poste. Saisissez à nouveau votre mot de passe pour reprendre
          la synchronisation.
        </p>
      )}
      <div className={`fr-input-group${error ? ' fr-input-group--error' : ''}`} style={{ maxWidth: '24rem' }}>
        <label className="fr-label" htmlFor="relogin-mdp">
          Mot de passe de {user.email}
        </label>
        <input
          className="fr-input"
          id="relogin-mdp"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={error ? 'relogin-err' : undefined}
          aria-invalid={error ? true : undefined}
        />
        {error && (
          <p id="relogin-err" className="fr-error-text" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="fr-btn fr-btn--sm" disabled={busy || !password}>
        Se reconnecter
      </button>
    </form>
  );
}
