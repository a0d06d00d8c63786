// The countries' French names (COG of INSEE) and the phrase that says "in" each of them.
import { describe, expect, it } from 'vitest';
import fr from 'i18n-iso-countries/langs/fr.json';
import {
  enPays,
  MULTI_PAYS,
  nomPays,
  PAYS,
  PAYS_CODES,
  PAYS_PARTENAIRES,
  PAYS_PARTENAIRES_CODES,
  TERRITOIRES_FRANCAIS,
} from '../../../src-shared/reference/pays';
import { PAYS_NOMS } from '../../../src-shared/reference/paysNoms';

describe('country table', () => {
  it('has one row per ISO code of the former list, no more, no fewer, each code once', () => {
    const iso = Object.keys((fr as { countries: Record<string, unknown> }).countries).sort();
    const ours = PAYS_NOMS.map(([code]) => code);
    expect(new Set(ours).size).toBe(ours.length);
    expect([...ours].sort()).toEqual(iso);
    expect(PAYS.length).toBe(iso.length);
  });

  it('gives every country a name and a locative that ends with that name', () => {
    for (const [code, nom, locatif] of PAYS_NOMS) {
      expect(nom, code).toMatch(/^\S/);
      expect(locatif, code).toMatch(/^(en|au|aux|à|à la|à l’|dans le|dans les) /);
      // The locative ends with the name itself, or with it after an article or "îles" in lower case.
      const tail = nom.replace(/^Îles? /, '').replace(/^La /, '');
      if (code !== 'SJ') expect(locatif.endsWith(tail), code).toBe(true); // « au Svalbard et à l’île Jan Mayen »
      expect(enPays(code)).toBe(locatif);
    }
  });

  it('uses the COG names where the former list did not', () => {
    expect(nomPays('SA')).toBe('Arabie saoudite');
    expect(nomPays('AE')).toBe('Émirats arabes unis');
    expect(nomPays('CZ')).toBe('Tchéquie');
    expect(nomPays('CI')).toBe("Côte d'Ivoire");
    expect(nomPays('CF')).toBe('Centrafrique');
    expect(nomPays('DO')).toBe('République dominicaine');
    expect(nomPays('TZ')).toBe('Tanzanie');
    expect(nomPays('US')).toBe('États-Unis');
    expect(nomPays('SZ')).toBe('Eswatini');
    expect(nomPays('MM')).toBe('Birmanie');
    expect(nomPays('SN')).toBe('Sénégal');
    expect(nomPays('BF')).toBe('Burkina Faso');
  });

  it('says « au », « en », « aux » or « à » as French does', () => {
    const cases: [string, string][] = [
      ['NE', 'au Niger'],
      ['ML', 'au Mali'],
      ['SN', 'au Sénégal'],
      ['KM', 'aux Comores'],
      ['FR', 'en France'],
      ['IR', 'en Iran'],
      ['HT', 'en Haïti'],
      ['IL', 'en Israël'],
      ['AF', 'en Afghanistan'],
      ['EC', 'en Équateur'],
      ['NL', 'aux Pays-Bas'],
      ['US', 'aux États-Unis'],
      ['PH', 'aux Philippines'],
      ['CU', 'à Cuba'],
      ['MG', 'à Madagascar'],
      ['SG', 'à Singapour'],
      ['MU', 'à Maurice'],
      ['BB', 'à la Barbade'],
      ['MX', 'au Mexique'],
      ['KH', 'au Cambodge'],
      ['MZ', 'au Mozambique'],
      ['CI', "en Côte d'Ivoire"],
      ['SB', 'aux îles Salomon'],
      ['RE', 'à La Réunion'],
    ];
    for (const [code, phrase] of cases) expect(enPays(code), code).toBe(phrase);
    expect(enPays(MULTI_PAYS)).toBe('dans plusieurs pays');
    expect(enPays(null)).toBe('dans un pays inconnu');
  });

  it('keeps France and its territories readable but out of the partner countries', () => {
    for (const code of ['FR', 'GF', 'GP', 'MQ', 'RE', 'YT', 'PM', 'BL', 'MF', 'WF', 'PF', 'NC', 'TF']) {
      expect(TERRITOIRES_FRANCAIS.has(code), code).toBe(true);
      expect(PAYS_CODES.has(code), code).toBe(true);
      expect(PAYS_PARTENAIRES_CODES.has(code), code).toBe(false);
      expect(nomPays(code)).not.toBe(code);
    }
    expect(PAYS_PARTENAIRES.length).toBe(PAYS.length - TERRITOIRES_FRANCAIS.size);
    const names = PAYS_PARTENAIRES.map((p) => p.nom);
    expect([...names].sort((a, b) => a.localeCompare(b, 'fr'))).toEqual(names);
  });
});
