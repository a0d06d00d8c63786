// The synchronisation screen's values as people read them: reference codes through their French labels,
// dates JJ/MM/AAAA, amounts in euros, lists as comma lists, whole records field by field; and the text
// of a long pull's progress.
import { beforeAll, describe, expect, it } from 'vitest';

// The date-time formatter takes the process time zone when the module loads: pin it first.
process.env.TZ = 'Europe/Paris';
let v: typeof import('../../../src-renderer/features/synchronisation/values');
let progressText: typeof import('../../../src-renderer/features/synchronisation/SyncProgress').progressText;
let labels: typeof import('../../../src-renderer/features/synchronisation/labels');
beforeAll(async () => {
  v = await import('../../../src-renderer/features/synchronisation/values');
  progressText = (await import('../../../src-renderer/features/synchronisation/SyncProgress')).progressText;
  labels = await import('../../../src-renderer/features/synchronisation/labels');
});
/** Intl uses narrow no-break spaces; compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatFieldValue', () => {
  it('reads reference codes through their French labels', () => {
    expect(v.formatFieldValue('ficheProjet', 'thematiques', ['eau', 'sante', 'gouvernance'])).toBe(
      'Eau et assainissement, Santé, Appui institutionnel et gouvernance locale',
    );
    expect(v.formatFieldValue('ficheProjet', 'odd', [6, 13])).toBe(
      'ODD 6 — Eau propre et assainissement, ODD 13 — Mesures relatives à la lutte contre les changements climatiques',
    );
    expect(v.formatFieldValue('contact', 'categorie', 'cadre')).toBe('Cadre territorial');
    expect(v.formatFieldValue('adhesion', 'reseauCode', 'cuf')).toBe('Cités Unies France');
    expect(v.formatFieldValue('partenariat', 'pays', 'SN')).toBe('Sénégal');
    expect(v.formatFieldValue('ficheProjet', 'dispositifUnPourCent', 'oudin_santini')).toBe(
      'Loi Oudin-Santini (eau et assainissement)',
    );
    expect(v.formatFieldValue('ligneApd', 'pays', 'MULTI')).toBe('Multi-pays');
    expect(v.formatFieldValue('ligneApd', 'categorie', 'bourses')).toBe("Bourses d'étudiants");
    expect(v.formatFieldValue('collectivite', 'region', '53')).toBe('Bretagne');
  });

  it('tells a partnership’s statut from a project’s', () => {
    expect(v.formatFieldValue('partenariat', 'statut', 'en_sommeil')).toBe('En sommeil');
    expect(v.formatFieldValue('ficheProjet', 'statut', 'en_cours')).toBe('En cours');
    expect(v.formatFieldValue('partenariat', 'statut', 'terminee')).toBe('Terminée');
  });

  it('writes dates, amounts, booleans and empty values the French way', () => {
    expect(v.formatFieldValue('partenariat', 'dateConvention', '2019-05-14')).toBe('14/05/2019');
    expect(plain(v.formatFieldValue('ficheProjet', 'coutTotal', 100000))).toBe('100 000,00 €');
    expect(plain(v.formatFieldValue('ligneApd', 'montant', 1234.5))).toBe('1 234,50 €');
    expect(plain(v.formatFieldValue('attestationCampagne', 'verifieeLe', '2026-03-30T12:05:00.000Z'))).toBe(
      '30/03/2026 à 14:05',
    );
    expect(v.formatFieldValue('partenariat', 'jumelage', true)).toBe('Oui');
    expect(v.formatFieldValue('adhesion', 'adherent', false)).toBe('Non');
    expect(v.formatFieldValue('contact', 'telephone', null)).toBe('(vide)');
    expect(v.formatFieldValue('ficheProjet', 'thematiques', [])).toBe('(aucun)');
    // A year is a year, not "2 026".
    expect(v.formatFieldValue('declarationApd', 'annee', 2026)).toBe('2026');
  });

  it('lists cofinancements as financeur and amount, never as JSON', () => {
    const out = plain(
      v.formatFieldValue('ficheProjet', 'cofinancements', [
        { financeur: 'agence_eau', montant: 50000 },
        { financeur: 'meae_daect', montant: 30000 },
      ]),
    );
    expect(out).toBe("Agence de l'eau : 50 000,00 €, MEAE / DAECT : 30 000,00 €");
    expect(out).not.toContain('{');
  });

  it('names the référent, or says it is unknown here', () => {
    const ctx = { contactName: (id: string) => (id === 'c1' ? 'Maëlle Tanguy' : undefined) };
    expect(v.formatFieldValue('ficheProjet', 'referentContactId', 'c1', ctx)).toBe('Maëlle Tanguy');
    expect(v.formatFieldValue('ficheProjet', 'referentContactId', 'c2', ctx)).toBe(
      'un élu ou cadre supprimé ou inconnu',
    );
  });

  it('keeps an unknown code or a value of an unexpected type readable', () => {
    expect(v.formatFieldValue('ficheProjet', 'thematiques', ['eau', 'inconnue'])).toBe(
      'Eau et assainissement, inconnue',
    );
    expect(v.formatFieldValue('contact', 'fonction', 'Maire')).toBe('Maire');
    expect(v.formatFieldValue('contact', 'inconnu', { a: [1, 2], b: true })).toBe('a : 1, 2, b : Oui');
  });
});

describe('formatRecordLines', () => {
  it('shows a whole record field by field with the forms’ labels, identifiers left out', () => {
    const lines = v
      .formatRecordLines('ficheProjet', {
        id: '0190aaaa-0000-7000-8000-000000000000',
        collectiviteId: 'x',
        partenariatId: 'y',
        intitule: 'Forages',
        thematiques: ['eau'],
        statut: 'termine',
        dateDebut: '2024-01-15',
        coutTotal: 1500.5,
      })
      .map(plain);
    expect(lines).toEqual([
      'Intitulé : Forages',
      'Thématiques d’intervention : Eau et assainissement',
      'Statut : Terminé',
      'Date de début : 15/01/2024',
      'Coût total : 1 500,50 €',
    ]);
  });
});

describe('third values', () => {
  it('are typed on the screen except for tables and yes/no fields', () => {
    expect(v.editableInline('ficheProjet', 'thematiques')).toBe(true);
    expect(v.editableInline('partenariat', 'statut')).toBe(true);
    expect(v.editableInline('contact', 'fonction')).toBe(true);
    expect(v.editableInline('ficheProjet', 'cofinancements')).toBe(false);
    expect(v.editableInline('partenariat', 'jumelage')).toBe(false);
    const k = v.fieldKind('partenariat', 'statut');
    expect(k.kind === 'choice' && k.choices.map((c) => c.label)).toEqual(['Active', 'En sommeil', 'Terminée']);
  });
});

describe('formatAge', () => {
  const now = Date.parse('2026-03-30T12:00:00Z');
  it('says how long a change has waited, in words', () => {
    expect(v.formatAge('2026-03-30T11:59:45Z', now)).toBe('à l’instant');
    expect(v.formatAge('2026-03-30T11:55:00Z', now)).toBe('il y a 5 minutes');
    expect(v.formatAge('2026-03-30T09:00:00Z', now)).toBe('il y a 3 heures');
    expect(v.formatAge('2026-03-29T10:00:00Z', now)).toBe('hier');
    expect(v.formatAge('2026-03-20T12:00:00Z', now)).toBe('il y a 10 jours');
    expect(v.formatAge('pas une date', now)).toBe('');
  });
});

describe('record labels and routes', () => {
  it('name an APD line and reach it through its declaration’s year', () => {
    expect(plain(labels.recordTitle('ligneApd', { pays: 'SN', categorie: 'bourses', montant: 1200 }))).toBe(
      "Sénégal, Bourses d'étudiants, 1 200,00 €",
    );
    expect(labels.recordRoute('ligneApd', 'l1', { declarationApdId: 'd1' }, { annee: 2025 })).toBe('/apd/2025');
    expect(labels.recordRoute('ficheProjet', 'f1', { partenariatId: 'p1' })).toBe('/partenariats/p1/fiches/f1');
    expect(labels.recordTitle('attestationCampagne', { partie: 'apd' })).toBe('e. Aide publique au développement');
  });
  it('name a network membership by the network’s name, never its code', () => {
    expect(labels.recordTitle('adhesion', { reseauCode: 'afccre', reseauNom: null })).toBe('AFCCRE');
    expect(labels.recordTitle('adhesion', { reseauCode: 'cuf', reseauNom: null })).toBe('Cités Unies France');
    expect(labels.recordTitle('adhesion', { reseauCode: null, reseauNom: 'Réseau local' })).toBe('Réseau local');
    expect(labels.recordTitle('adhesion', { reseauCode: null, reseauNom: null })).toBe('Adhésion');
    // Every reference network reads as its label.
    for (const code of ['cuf', 'afccre', 'cglu', 'aimf', 'platforma'])
      expect(labels.recordTitle('adhesion', { reseauCode: code })).not.toBe(code);
  });
});

describe('progressText', () => {
  it('tells a long pull’s progress, and nothing for a one-page cycle or when idle', () => {
    expect(plain(progressText(true, { pages: 1, pulled: 2000, more: true }))).toBe(
      'Réception des données : 2 000 enregistrements reçus, d’autres suivent…',
    );
    expect(plain(progressText(true, { pages: 3, pulled: 4500, more: false }))).toBe(
      'Réception des données : 4 500 enregistrements reçus, enregistrement sur ce poste…',
    );
    expect(progressText(true, { pages: 1, pulled: 12, more: false })).toBe('');
    expect(progressText(false, { pages: 3, pulled: 4500, more: false })).toBe('');
    expect(progressText(true, null)).toBe('');
  });
});
