// Entity schemas: every required field, cross-field rule and bad input of docs/domain.md,
// each with a valid and an invalid case; messages name the field as the form labels it.
import { describe, expect, it } from 'vitest';
import {
  adhesionSchema,
  attestationCampagneSchema,
  avisSchema,
  campagneSchema,
  collectiviteSchema,
  contactSchema,
  declarationApdSchema,
  ficheProjetSchema,
  ligneApdSchema,
  partenariatSchema,
  totalApd,
} from '../../../src-shared/domain';
import { listErrors } from '../../../src-shared/domain/entreeReference';
import { entityDef } from '../../../src-shared/registry';
import { entreesInitiales } from '../../../src-server/seed/referenceLists';
import { ID, errorsOf, messagesFor } from './helpers';

/** The list rule of a write (server and forms) on the initial lists: the codes of the reference lists. */
const listMessages = (entity: 'adhesion' | 'ficheProjet', rec: Record<string, unknown>) =>
  listErrors(entityDef(entity).lists ?? [], rec, 'all', entreesInitiales).map((e) => e.message);

const thisYear = new Date().getFullYear();

const collectivite = {
  id: ID(1),
  code: 'commune:69123',
  nom: 'Lyon',
  type: 'commune',
  departement: '69',
  region: '84',
  adresse: '1 place de la Comédie',
  codePostal: '69001',
  commune: 'Lyon',
  telephone: '04 72 10 30 30',
  courriel: 'relations.internationales@mairie-lyon.fr',
  siteWeb: 'https://www.lyon.fr',
};
const contact = {
  id: ID(2),
  collectiviteId: ID(1),
  categorie: 'elu',
  civilite: 'Mme',
  prenom: 'Anne',
  nom: 'Martin',
  fonction: 'Adjointe aux relations internationales',
  courriel: 'anne.martin@mairie-lyon.fr',
  telephone: null,
};
const adhesion = {
  id: ID(3),
  collectiviteId: ID(1),
  reseauCode: 'cuf',
  reseauNom: null,
  adherent: true,
  utilisePourActions: true,
  depuis: 2010,
};
const partenariat = {
  id: ID(4),
  collectiviteId: ID(1),
  nature: 'cooperation_decentralisee',
  pays: 'SN',
  nomPartenaire: 'Saint-Louis',
  typePartenaire: 'municipalite',
  jumelage: false,
  dateConvention: '2012-05-14',
  statut: 'active',
  latitude: 16.02,
  longitude: -16.5,
  reprisLe: null,
};
const fiche = {
  id: ID(5),
  collectiviteId: ID(1),
  partenariatId: ID(4),
  intitule: "Accès à l'eau potable dans les quartiers",
  description: "Extension du réseau d'eau potable et formation des agents municipaux à sa maintenance.",
  thematiques: ['eau', 'gouvernance'],
  statut: 'en_cours',
  dateDebut: '2023-01-01',
  dateFin: '2025-12-31',
  coutTotal: 120000,
  participationCollectivite: 40000,
  cofinancements: [{ financeur: 'meae_daect', montant: 30000 }],
  operateurs: 'Association Eau Vive',
  beneficiaires: '12 000 habitants',
  odd: [6, 11],
  dispositifUnPourCent: 'oudin_santini',
  referentContactId: ID(2),
  siteWeb: null,
  reprisLe: '2026-03-02T09:00:00.000Z',
};
const declaration = { id: ID(6), collectiviteId: ID(1), annee: thisYear - 1, commentaire: null };
const ligne = {
  id: ID(7),
  collectiviteId: ID(1),
  declarationApdId: ID(6),
  pays: 'SN',
  categorie: 'cooperation_jumelage',
  montant: 15000.5,
};
const avis = {
  id: ID(8),
  collectiviteId: ID(1),
  ficheProjetId: ID(5),
  avis: 'favorable',
  commentaire: null,
  statutInstruction: 'instruit',
  auteur: 'SGAR Auvergne-Rhône-Alpes',
  date: '2025-03-02',
  ficheRevision: 12,
};
const campagne = { id: ID(9), annee: 2025, dateOuverture: '2025-02-01', dateCloture: '2025-04-30' };
const attestation = {
  id: ID(10),
  collectiviteId: ID(1),
  campagneId: ID(9),
  partie: 'contacts',
  verifieeLe: '2025-03-01T09:30:00.000Z',
  par: 'Anne Martin',
};

const all = [
  ['collectivite', collectiviteSchema, collectivite],
  ['contact', contactSchema, contact],
  ['adhesion', adhesionSchema, adhesion],
  ['partenariat', partenariatSchema, partenariat],
  ['ficheProjet', ficheProjetSchema, fiche],
  ['declarationApd', declarationApdSchema, declaration],
  ['ligneApd', ligneApdSchema, ligne],
  ['avis', avisSchema, avis],
  ['campagne', campagneSchema, campagne],
  ['attestationCampagne', attestationCampagneSchema, attestation],
] as const;

describe('every entity', () => {
  it.each(all)('%s: a complete valid record passes unchanged', (_name, schema, valid) => {
    expect(schema.parse(valid)).toEqual(valid);
  });
  it.each(all)('%s: an unknown field is refused, named', (_name, schema, valid) => {
    expect(errorsOf(schema, { ...valid, estAdmin: true })).toContainEqual({
      field: '',
      message: 'Champ inconnu : estAdmin.',
    });
  });
  it.each(all)('%s: a non-object is refused with a French message', (_name, schema) => {
    expect(errorsOf(schema, 'texte')[0]?.message).toBe('Les données envoyées ne forment pas un enregistrement.');
    expect(errorsOf(schema, [])[0]?.message).toBe('Les données envoyées ne forment pas un enregistrement.');
  });
  it.each(all)('%s: every message is French and quotes a field label or explains the record', (_name, schema) => {
    const errors = errorsOf(schema, {});
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).toMatch(/^(« .+ »|Champ inconnu|Les données|La localisation)/);
  });
  it.each(all)('%s: a bad id is refused', (_name, schema, valid) => {
    expect(messagesFor(schema, { ...valid, id: 'not-an-id' }, 'id')).toEqual([
      "« Identifiant » n'est pas un identifiant valide.",
    ]);
  });
});

describe('collectivité coordonnées', () => {
  it('empty optional coordonnées become null', () => {
    const r = collectiviteSchema.parse({
      ...collectivite,
      adresse: '',
      codePostal: '',
      telephone: '',
      courriel: '',
      siteWeb: '',
    });
    expect([r.adresse, r.codePostal, r.telephone, r.courriel, r.siteWeb]).toEqual([null, null, null, null, null]);
  });
  it('postal code has five digits', () => {
    expect(messagesFor(collectiviteSchema, { ...collectivite, codePostal: '6900' }, 'codePostal')).toEqual([
      '« Code postal » doit comporter 5 chiffres.',
    ]);
  });
  it('courriel format', () => {
    expect(messagesFor(collectiviteSchema, { ...collectivite, courriel: 'mairie.lyon.fr' }, 'courriel')[0]).toMatch(
      /^« Courriel » n'est pas une adresse électronique valide/,
    );
  });
  it('type from the list', () => {
    expect(messagesFor(collectiviteSchema, { ...collectivite, type: 'village' }, 'type')).toEqual([
      '« Type de collectivité » : choisissez une valeur de la liste.',
    ]);
  });
});

describe('contact', () => {
  it.each([
    ['categorie', 'Catégorie'],
    ['prenom', 'Prénom'],
    ['nom', 'Nom'],
    ['fonction', 'Titre / fonction'],
    ['courriel', 'Courriel'],
  ])('%s is required (« %s »)', (field, label) => {
    const { [field as keyof typeof contact]: _drop, ...rest } = contact;
    const m = messagesFor(contactSchema, rest, field);
    expect(m[0]).toMatch(new RegExp(`^« ${label.replace(/[/]/g, '\\/')} »`));
  });
  it('courriel is checked carefully', () => {
    expect(contactSchema.parse({ ...contact, courriel: ' Anne.Martin@Mairie-Lyon.fr ' }).courriel).toBe(
      'Anne.Martin@Mairie-Lyon.fr',
    );
    expect(messagesFor(contactSchema, { ...contact, courriel: 'anne.martin@mairie-lyon' }, 'courriel')[0]).toMatch(
      /« Courriel » n'est pas une adresse électronique valide/,
    );
  });
  it('a personal or non-public address is valid: no over-warning', () => {
    expect(contactSchema.parse({ ...contact, courriel: 'anne.martin62@gmail.com' }).courriel).toBe(
      'anne.martin62@gmail.com',
    );
  });
  it('catégorie élu | cadre and civilité M. | Mme', () => {
    expect(contactSchema.parse({ ...contact, categorie: 'cadre', civilite: null }).categorie).toBe('cadre');
    expect(messagesFor(contactSchema, { ...contact, categorie: 'maire' }, 'categorie')).toEqual([
      '« Catégorie » : choisissez une valeur de la liste.',
    ]);
    expect(messagesFor(contactSchema, { ...contact, civilite: 'Dr' }, 'civilite')).toEqual([
      '« Civilité » : choisissez une valeur de la liste.',
    ]);
  });
  it('over-long names and markup', () => {
    expect(messagesFor(contactSchema, { ...contact, nom: 'x'.repeat(101) }, 'nom')).toEqual([
      '« Nom » ne peut dépasser 100 caractères.',
    ]);
    expect(contactSchema.parse({ ...contact, nom: '<b>Martin</b>' }).nom).toBe('<b>Martin</b>');
  });
});

describe('adhésion', () => {
  it('needs a réseau: from the list or a free name', () => {
    expect(
      adhesionSchema.parse({ ...adhesion, reseauCode: null, reseauNom: 'Réseau des villes du fleuve' }).reseauNom,
    ).toBe('Réseau des villes du fleuve');
    expect(messagesFor(adhesionSchema, { ...adhesion, reseauCode: null, reseauNom: '' }, 'reseauCode')).toEqual([
      '« Réseau » est obligatoire : choisissez un réseau de la liste ou saisissez son nom.',
    ]);
  });
  it('réseau code from the reference list', () => {
    // The list is synced (issue 15): a well-formed code is checked against it, a malformed one by the schema.
    expect(listMessages('adhesion', { ...adhesion, reseauCode: 'inconnu' })).toEqual([
      '« Réseau » : choisissez une valeur de la liste.',
    ]);
    expect(listMessages('adhesion', adhesion)).toEqual([]);
    expect(messagesFor(adhesionSchema, { ...adhesion, reseauCode: 'Pas un code !' }, 'reseauCode')).toEqual([
      '« Réseau » : choisissez une valeur de la liste.',
    ]);
  });
  it('depuis: a year, not in the future', () => {
    expect(adhesionSchema.parse({ ...adhesion, depuis: thisYear }).depuis).toBe(thisYear);
    expect(messagesFor(adhesionSchema, { ...adhesion, depuis: thisYear + 1 }, 'depuis')).toEqual([
      '« Depuis (année) » ne peut pas être dans le futur.',
    ]);
    expect(messagesFor(adhesionSchema, { ...adhesion, depuis: 1850 }, 'depuis')).toEqual([
      '« Depuis (année) » doit être supérieur ou égal à 1900.',
    ]);
  });
  it('adhérent and utilisé are yes/no', () => {
    expect(messagesFor(adhesionSchema, { ...adhesion, adherent: 'oui' }, 'adherent')).toEqual([
      '« Adhérent » doit être coché ou décoché.',
    ]);
  });
});

describe('partenariat', () => {
  it('a coopération décentralisée needs its convention date', () => {
    expect(messagesFor(partenariatSchema, { ...partenariat, dateConvention: null }, 'dateConvention')).toEqual([
      '« Date de signature de la convention » est obligatoire pour une coopération décentralisée.',
    ]);
  });
  it('an action extérieure does not', () => {
    expect(
      partenariatSchema.parse({ ...partenariat, nature: 'action_exterieure', dateConvention: null }).dateConvention,
    ).toBeNull();
  });
  it('pays from ISO 3166-1', () => {
    expect(partenariatSchema.parse({ ...partenariat, pays: 'BF' }).pays).toBe('BF');
    expect(messagesFor(partenariatSchema, { ...partenariat, pays: 'XX' }, 'pays')).toEqual([
      '« Pays » : choisissez un pays de la liste.',
    ]);
    expect(messagesFor(partenariatSchema, { ...partenariat, pays: undefined }, 'pays')).toEqual([
      '« Pays » est obligatoire.',
    ]);
  });
  it('pays: neither France nor its overseas territories, which are not partner countries', () => {
    for (const code of ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'WF', 'PF', 'NC', 'TF']) {
      expect(messagesFor(partenariatSchema, { ...partenariat, pays: code }, 'pays'), code).toEqual([
        '« Pays » : la France et ses territoires d’outre-mer ne sont pas des pays partenaires ; choisissez un pays étranger.',
      ]);
    }
    // Foreign territories near France stay partner countries.
    for (const code of ['MC', 'AD', 'SX', 'BE'])
      expect(partenariatSchema.parse({ ...partenariat, pays: code }).pays).toBe(code);
  });
  it('nom du partenaire required and bounded', () => {
    expect(messagesFor(partenariatSchema, { ...partenariat, nomPartenaire: ' ' }, 'nomPartenaire')).toEqual([
      '« Nom du partenaire » est obligatoire.',
    ]);
    expect(messagesFor(partenariatSchema, { ...partenariat, nomPartenaire: 'x'.repeat(201) }, 'nomPartenaire')).toEqual(
      ['« Nom du partenaire » ne peut dépasser 200 caractères.'],
    );
  });
  it('jumelage is a checkbox, statut from the list', () => {
    expect(messagesFor(partenariatSchema, { ...partenariat, jumelage: undefined }, 'jumelage')).toEqual([
      '« Jumelage » doit être coché ou décoché.',
    ]);
    expect(messagesFor(partenariatSchema, { ...partenariat, statut: 'finie' }, 'statut')).toEqual([
      '« Statut » : choisissez une valeur de la liste.',
    ]);
  });
  it('localisation: both coordinates in range, or none', () => {
    expect(partenariatSchema.parse({ ...partenariat, latitude: null, longitude: null }).latitude).toBeNull();
    expect(messagesFor(partenariatSchema, { ...partenariat, latitude: 91 }, 'latitude')).toEqual([
      '« Latitude » doit être comprise entre -90 et 90.',
    ]);
    expect(messagesFor(partenariatSchema, { ...partenariat, longitude: -181 }, 'longitude')).toEqual([
      '« Longitude » doit être comprise entre -180 et 180.',
    ]);
    expect(messagesFor(partenariatSchema, { ...partenariat, longitude: null }, 'latitude')).toEqual([
      'La localisation demande une latitude et une longitude.',
    ]);
  });
});

describe('fiche-projet', () => {
  it('at least one thématique, from the list, no duplicate', () => {
    expect(messagesFor(ficheProjetSchema, { ...fiche, thematiques: [] }, 'thematiques')).toEqual([
      "« Thématiques d'intervention » : choisissez au moins une thématique.",
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, thematiques: undefined }, 'thematiques')).toEqual([
      "« Thématiques d'intervention » est obligatoire.",
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, thematiques: ['eau', 'eau'] }, 'thematiques')).toEqual([
      "« Thématiques d'intervention » contient un doublon.",
    ]);
    expect(listMessages('ficheProjet', { ...fiche, thematiques: ['astrologie'] })).toEqual([
      "« Thématiques d'intervention » : choisissez une valeur de la liste.",
    ]);
    expect(listMessages('ficheProjet', fiche)).toEqual([]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, thematiques: ['Astrologie !'] }, 'thematiques')).toEqual([
      "« Thématiques d'intervention » : choisissez une valeur de la liste.",
    ]);
  });
  it('date de fin ≥ date de début (equal allowed)', () => {
    expect(ficheProjetSchema.parse({ ...fiche, dateFin: fiche.dateDebut }).dateFin).toBe(fiche.dateDebut);
    expect(ficheProjetSchema.parse({ ...fiche, dateFin: null }).dateFin).toBeNull();
    expect(messagesFor(ficheProjetSchema, { ...fiche, dateFin: '2022-12-31' }, 'dateFin')).toEqual([
      '« Date de fin » doit être postérieure ou égale à la date de début.',
    ]);
  });
  it('participation ≤ coût total (equal allowed)', () => {
    expect(ficheProjetSchema.parse({ ...fiche, participationCollectivite: 120000 }).participationCollectivite).toBe(
      120000,
    );
    expect(
      messagesFor(ficheProjetSchema, { ...fiche, participationCollectivite: 120000.01 }, 'participationCollectivite'),
    ).toEqual(['« Participation de la collectivité » ne peut dépasser le coût total.']);
  });
  it('a participation needs a coût total', () => {
    expect(
      ficheProjetSchema.parse({ ...fiche, coutTotal: null, participationCollectivite: null }).coutTotal,
    ).toBeNull();
    expect(messagesFor(ficheProjetSchema, { ...fiche, coutTotal: null }, 'coutTotal')).toEqual([
      '« Coût total » est obligatoire quand une participation est indiquée.',
    ]);
  });
  it('amounts are positive', () => {
    expect(messagesFor(ficheProjetSchema, { ...fiche, coutTotal: -5 }, 'coutTotal')).toEqual([
      '« Coût total » ne peut pas être négatif.',
    ]);
    expect(
      messagesFor(
        ficheProjetSchema,
        { ...fiche, cofinancements: [{ financeur: 'afd', montant: 0 }] },
        'cofinancements',
      ),
    ).toEqual(['« Montant du cofinancement » doit être supérieur à 0 €.']);
    expect(
      messagesFor(
        ficheProjetSchema,
        { ...fiche, cofinancements: [{ financeur: 'banque', montant: 10 }] },
        'cofinancements',
      ),
    ).toEqual(['« Financeur » : choisissez une valeur de la liste.']);
  });
  it('required fields: intitulé, description, statut, date de début', () => {
    expect(messagesFor(ficheProjetSchema, { ...fiche, intitule: '' }, 'intitule')).toEqual([
      '« Intitulé » est obligatoire.',
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, description: '' }, 'description')).toEqual([
      '« Description / objectifs » est obligatoire.',
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, statut: undefined }, 'statut')).toEqual([
      '« Statut » : choisissez une valeur de la liste.',
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, dateDebut: undefined }, 'dateDebut')).toEqual([
      '« Date de début » est obligatoire.',
    ]);
  });
  it('ODD 1–17 without duplicates', () => {
    expect(ficheProjetSchema.parse({ ...fiche, odd: [1, 17] }).odd).toEqual([1, 17]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, odd: [18] }, 'odd')).toEqual([
      '« ODD » doit être inférieur ou égal à 17.',
    ]);
    expect(messagesFor(ficheProjetSchema, { ...fiche, odd: [6, 6] }, 'odd')).toEqual(['« ODD » contient un doublon.']);
  });
  it('wrong container types get French messages too', () => {
    expect(messagesFor(ficheProjetSchema, { ...fiche, odd: '6' }, 'odd')[0]).toMatch(/^« ODD »/);
    expect(messagesFor(ficheProjetSchema, { ...fiche, cofinancements: 'AFD' }, 'cofinancements')[0]).toMatch(
      /^« Cofinancements »/,
    );
    expect(
      messagesFor(
        ficheProjetSchema,
        { ...fiche, cofinancements: [{ financeur: 'afd', montant: 1, note: 'x' }] },
        'cofinancements',
      )[0],
    ).toMatch(/Champ inconnu : note/);
  });
  it('long description bounded, markup kept verbatim', () => {
    expect(messagesFor(ficheProjetSchema, { ...fiche, description: 'x'.repeat(5001) }, 'description')).toEqual([
      '« Description / objectifs » ne peut dépasser 5000 caractères.',
    ]);
    const markup = '<iframe src="https://exemple.org"></iframe> Objectif : <b>eau</b>';
    expect(ficheProjetSchema.parse({ ...fiche, description: markup }).description).toBe(markup);
  });
  it('defaults: no cofinancement, no ODD, dispositif « aucun »', () => {
    const { cofinancements: _c, odd: _o, dispositifUnPourCent: _d, ...minimal } = fiche;
    const r = ficheProjetSchema.parse(minimal);
    expect([r.cofinancements, r.odd, r.dispositifUnPourCent]).toEqual([[], [], 'aucun']);
  });
});

describe('déclaration APD and its lines', () => {
  it('année not in the future', () => {
    expect(declarationApdSchema.parse({ ...declaration, annee: thisYear }).annee).toBe(thisYear);
    expect(messagesFor(declarationApdSchema, { ...declaration, annee: thisYear + 1 }, 'annee')).toEqual([
      '« Année de la déclaration » ne peut pas être dans le futur.',
    ]);
    expect(messagesFor(declarationApdSchema, { ...declaration, annee: 1999 }, 'annee')).toEqual([
      '« Année de la déclaration » doit être supérieur ou égal à 2000.',
    ]);
    expect(messagesFor(declarationApdSchema, { ...declaration, annee: '2024' }, 'annee')).toEqual([
      '« Année de la déclaration » doit être un nombre entier.',
    ]);
  });
  it('a line: pays or multi-pays, catégorie from the list, positive montant', () => {
    expect(ligneApdSchema.parse({ ...ligne, pays: 'MULTI' }).pays).toBe('MULTI');
    expect(messagesFor(ligneApdSchema, { ...ligne, pays: 'ZZ' }, 'pays')).toEqual([
      '« Pays » : choisissez un pays de la liste ou « Multi-pays ».',
    ]);
    expect(messagesFor(ligneApdSchema, { ...ligne, categorie: 'divers' }, 'categorie')).toEqual([
      '« Catégorie » : choisissez une valeur de la liste.',
    ]);
    expect(messagesFor(ligneApdSchema, { ...ligne, montant: 0 }, 'montant')).toEqual([
      '« Montant » doit être supérieur à 0 €.',
    ]);
    expect(messagesFor(ligneApdSchema, { ...ligne, montant: -10 }, 'montant')).toEqual([
      '« Montant » doit être supérieur à 0 €.',
    ]);
  });
  it('totals are computed to the cent', () => {
    expect(totalApd([{ montant: 0.1 }, { montant: 0.2 }, { montant: 15000.5 }])).toBe(15000.8);
    expect(totalApd([])).toBe(0);
  });
});

describe('avis', () => {
  it('avis and statut from their lists, auteur and date required', () => {
    expect(messagesFor(avisSchema, { ...avis, avis: 'bof' }, 'avis')).toEqual([
      '« Avis » : choisissez une valeur de la liste.',
    ]);
    expect(messagesFor(avisSchema, { ...avis, statutInstruction: 'fini' }, 'statutInstruction')).toEqual([
      "« Statut d'instruction » : choisissez une valeur de la liste.",
    ]);
    expect(messagesFor(avisSchema, { ...avis, auteur: '' }, 'auteur')).toEqual(['« Auteur » est obligatoire.']);
    expect(messagesFor(avisSchema, { ...avis, date: '02/03/2025' }, 'date')).toEqual([
      "« Date » n'est pas une date valide (JJ/MM/AAAA).",
    ]);
  });

  it('the version of the fiche it concerns: a revision, null when not known (an avis given before issue 15)', () => {
    const { ficheRevision: _given, ...before } = avis;
    expect(avisSchema.parse(before).ficheRevision).toBeNull();
    expect(avisSchema.parse({ ...avis, ficheRevision: 42 }).ficheRevision).toBe(42);
    expect(messagesFor(avisSchema, { ...avis, ficheRevision: -1 }, 'ficheRevision')).toEqual([
      '« Version de la fiche » doit être supérieur ou égal à 0.',
    ]);
    expect(messagesFor(avisSchema, { ...avis, ficheRevision: 1.5 }, 'ficheRevision')).toEqual([
      '« Version de la fiche » doit être un nombre entier.',
    ]);
  });
});

describe('campagne and attestation', () => {
  it('date de clôture on or after date d’ouverture', () => {
    expect(campagneSchema.parse({ ...campagne, dateCloture: campagne.dateOuverture }).dateCloture).toBe(
      campagne.dateOuverture,
    );
    expect(messagesFor(campagneSchema, { ...campagne, dateCloture: '2025-01-31' }, 'dateCloture')).toEqual([
      "« Date de clôture » doit être postérieure à la date d'ouverture.",
    ]);
  });
  it('année bounded', () => {
    expect(messagesFor(campagneSchema, { ...campagne, annee: 2101 }, 'annee')).toEqual([
      '« Année » doit être inférieur ou égal à 2100.',
    ]);
  });
  it('attestation: partie from the five parts, timestamp, author', () => {
    for (const partie of ['contacts', 'reseaux', 'cooperations', 'actions_exterieures', 'apd']) {
      expect(attestationCampagneSchema.parse({ ...attestation, partie }).partie).toBe(partie);
    }
    expect(messagesFor(attestationCampagneSchema, { ...attestation, partie: 'tout' }, 'partie')).toEqual([
      '« Partie » : choisissez une valeur de la liste.',
    ]);
    expect(messagesFor(attestationCampagneSchema, { ...attestation, verifieeLe: 'hier' }, 'verifieeLe')).toEqual([
      "« Vérifiée le » n'est pas un horodatage valide.",
    ]);
    expect(messagesFor(attestationCampagneSchema, { ...attestation, par: '' }, 'par')).toEqual([
      '« Par » est obligatoire.',
    ]);
  });
});

describe('no English leaks: every field given every wrong type answers in French', () => {
  const wrongValues: unknown[] = [42, -1, 'texte', true, {}, [], [{}], ['x'], [42], null, 1e300, Number.NaN];
  it.each(all)('%s', (_name, schema, valid) => {
    for (const field of Object.keys(valid)) {
      for (const wrong of wrongValues) {
        for (const e of errorsOf(schema, { ...valid, [field]: wrong })) {
          expect(e.message, `${field} = ${JSON.stringify(wrong)}`).toMatch(
            /^(« .+ »|Champ inconnu|Les données|La localisation)/,
          );
        }
      }
    }
  });
});
