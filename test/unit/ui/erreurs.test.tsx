// French everywhere, even when something fails: our own errors keep their French message, anything
// else (Dexie, the browser, a bug) becomes a French generic message and is logged; a screen that
// throws gets a French error page with a way out instead of a blank window.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../src-renderer/db/repository';
import { SyncError } from '../../../src-renderer/api/http';
import { ErrorBoundary, ErrorPage } from '../../../src-renderer/ui/ErrorBoundary';
import { GENERIC_ERROR, UserFacingError, isUserFacing, userMessage } from '../../../src-renderer/ui/errors';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('userMessage', () => {
  it('keeps the French message of our own errors, without logging them', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(userMessage(new SyncError('network', 'Serveur injoignable.'), 'La connexion a échoué.')).toBe(
      'Serveur injoignable.',
    );
    expect(userMessage(new ValidationError([{ field: 'nom', message: '« Nom » est obligatoire.' }]), 'x')).toBe(
      '« Nom » est obligatoire.',
    );
    expect(userMessage(new UserFacingError('Aucune collectivité n’est choisie.'), 'x')).toBe(
      'Aucune collectivité n’est choisie.',
    );
    expect(log).not.toHaveBeenCalled();
  });

  it('turns any other error into a French message and logs the original', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const dexie = Object.assign(new Error('QuotaExceededError: Transaction aborted'), { name: 'AbortError' });
    const msg = userMessage(dexie, 'L’enregistrement a échoué.');
    expect(msg).toBe(`L’enregistrement a échoué. ${GENERIC_ERROR}`);
    expect(msg).not.toMatch(/Quota|Transaction|aborted/);
    expect(log).toHaveBeenCalledWith(dexie);
    expect(userMessage('a string', 'La suppression a échoué.')).toBe(`La suppression a échoué. ${GENERIC_ERROR}`);
    expect(userMessage(new TypeError('Failed to fetch'), 'La recherche a échoué.')).not.toContain('Failed');
  });

  it('a known error with an empty message is not user-facing', () => {
    expect(isUserFacing(new UserFacingError(''))).toBe(false);
    expect(isUserFacing(new Error('No collectivité in view'))).toBe(false);
  });
});

describe('error page', () => {
  it('says in French what happened, that nothing is lost, and offers « Recharger »', () => {
    const html = renderToStaticMarkup(
      <ErrorPage error={new Error('Cannot read properties of undefined')} standalone />,
    );
    expect(html).toContain('<main id="contenu"');
    expect(html).toContain('Cette page n’a pas pu s’afficher</h1>');
    expect(html).toContain('Rien n’est perdu');
    expect(html).toMatch(/<button type="button" class="fr-btn">Recharger<\/button>/);
    expect(html).toContain('href="#/"');
    expect(html).not.toContain('Cannot read');
  });

  it('shows the French reason of a user-facing error; inside the shell it renders no second <main>', () => {
    const html = renderToStaticMarkup(<ErrorPage error={new UserFacingError('Aucune collectivité n’est choisie.')} />);
    expect(html).toContain('Aucune collectivité n’est choisie.');
    expect(html).not.toContain('<main');
  });

  it('the boundary catches a render error and resets when its key (the route) changes', () => {
    const err = new Error('boom');
    expect(ErrorBoundary.getDerivedStateFromError(err)).toEqual({ error: err });
    // Same route: stays on the error page; another route: tries again.
    expect(
      ErrorBoundary.getDerivedStateFromProps({ children: null, resetKey: 'a' }, { error: err, shownKey: 'a' }),
    ).toBeNull();
    expect(
      ErrorBoundary.getDerivedStateFromProps({ children: null, resetKey: 'b' }, { error: err, shownKey: 'a' }),
    ).toEqual({ error: null, shownKey: 'b' });
    expect(
      ErrorBoundary.getDerivedStateFromProps({ children: null, resetKey: 'b' }, { error: null, shownKey: 'a' }),
    ).toEqual({ shownKey: 'b' });
    // Children render normally while there is no error.
    expect(
      renderToStaticMarkup(
        <ErrorBoundary resetKey="a">
          <p>Contenu</p>
        </ErrorBoundary>,
      ),
    ).toBe('<p>Contenu</p>');
  });
});
