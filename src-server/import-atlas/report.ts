// The import's report in French: a text for the console and the screen, a CSV (French Excel) of every
// row not imported as is (refused, duplicate, unknown or ambiguous collectivité, kept field).
import type { ImportResult } from './run';
import type { Counts, Report } from './plan';

const n = (x: number) => x.toLocaleString('fr-FR');
const lines = (l: number[]) => (l.length > 8 ? `${l.slice(0, 8).join(', ')}… (${l.length} lignes)` : l.join(', '));
const counts = (c: Counts, dry: boolean, fem = false) =>
  `${n(c.aCreer)} ${dry ? 'à créer' : fem ? 'créées' : 'créés'}, ${n(c.aMettreAJour)} ${dry ? 'à mettre à jour' : fem ? 'mises à jour' : 'mis à jour'}, ${n(c.inchanges)} ${fem ? 'inchangées' : 'inchangés'}`;

export function reportText(result: Pick<ImportResult, 'dryRun' | 'report' | 'label' | 'written'>): string {
  const r: Report = result.report;
  const dry = result.dryRun;
  const out: string[] = [];
  out.push(dry ? 'Import de l’Atlas — simulation (rien n’a été écrit)' : `Import de l’Atlas — ${result.label ?? ''}`);
  const f = r.fichier;
  out.push(
    `Fichier : ${f.nom} (${f.format.toUpperCase()}${f.encodage ? `, ${f.encodage}` : ''}${f.separateur ? `, séparateur ${f.separateur}` : ''}${f.feuille ? `, feuille « ${f.feuille} » sur ${f.feuilles?.length ?? 1}` : ''})`,
  );
  out.push(`Correspondance : ${f.correspondance}`);
  if (f.colonnesIgnorees.length)
    out.push(`Colonnes ignorées : ${f.colonnesIgnorees.map((c) => `« ${c} »`).join(', ')}`);
  out.push('');
  out.push(`Lignes lues : ${n(r.lignesLues)}`);
  const c = r.collectivites;
  out.push(
    `Collectivités reconnues : ${n(c.reconnues)} (${n(c.parCode)} par leur code, ${n(c.parNom)} par leur nom)${c.aCreerDansLaBase ? `, dont ${n(c.aCreerDansLaBase)} ${dry ? 'à ajouter' : 'ajoutées'} à la base depuis le répertoire officiel` : ''}`,
  );
  out.push(`Collectivités ambiguës : ${n(c.ambigues.length)}`);
  for (const a of c.ambigues) out.push(`  « ${a.valeur} » (lignes ${lines(a.lignes)}) : ${a.candidats.join(' ; ')}`);
  out.push(`Collectivités inconnues : ${n(c.inconnues.length)}`);
  for (const u of c.inconnues) out.push(`  ${u.raison} (lignes ${lines(u.lignes)})`);
  out.push(`Partenariats : ${counts(r.partenariats, dry)}`);
  out.push(`Fiches-projets : ${counts(r.fiches, dry, true)}`);
  out.push(`Doublons (ignorés) : ${n(r.doublons.length)}`);
  for (const d of r.doublons.slice(0, 50)) out.push(`  ligne ${d.ligne} : même projet que la ligne ${d.premiereLigne}`);
  if (r.paysInconnus.length) {
    out.push(`Pays inconnus : ${n(r.paysInconnus.length)}`);
    for (const p of r.paysInconnus) out.push(`  « ${p.valeur} » (lignes ${lines(p.lignes)})`);
  }
  if (r.thematiquesInconnues.length) {
    out.push(`Thématiques inconnues de la liste de référence : ${n(r.thematiquesInconnues.length)}`);
    for (const t of r.thematiquesInconnues) out.push(`  « ${t.valeur} » (lignes ${lines(t.lignes)})`);
  }
  if (r.conserves.length) {
    out.push(`Valeurs conservées (modifiées dans l’Atlas depuis) : ${n(r.conserves.length)}`);
    for (const k of r.conserves.slice(0, 50)) out.push(`  ligne ${k.ligne}, ${k.entite}, ${k.champ} : ${k.raison}`);
  }
  out.push(`Lignes refusées : ${n(r.refusees.length)}`);
  for (const x of r.refusees.slice(0, 200)) out.push(`  ligne ${x.ligne} : ${x.raison}`);
  if (r.refusees.length > 200) out.push(`  … et ${n(r.refusees.length - 200)} autres (voir le rapport CSV)`);
  if (!dry)
    out.push(
      '',
      `Écrit : ${n(result.written.crees)} créations, ${n(result.written.misAJour)} mises à jour, en ${n(result.written.lots)} lots.`,
    );
  return out.join('\n');
}

const cell = (v: string | number) => {
  const s = String(v);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One line per row not imported as is: « Ligne;Catégorie;Détail ». */
export function reportCsv(r: Report): string {
  const rows: (string | number)[][] = [['Ligne', 'Catégorie', 'Détail']];
  for (const x of r.refusees) rows.push([x.ligne, 'Refusée', x.raison]);
  for (const d of r.doublons) rows.push([d.ligne, 'Doublon', `même projet que la ligne ${d.premiereLigne}`]);
  for (const a of r.collectivites.ambigues)
    for (const l of a.lignes) rows.push([l, 'Collectivité ambiguë', `« ${a.valeur} » : ${a.candidats.join(' ; ')}`]);
  for (const u of r.collectivites.inconnues)
    for (const l of u.lignes) rows.push([l, 'Collectivité inconnue', u.raison]);
  for (const p of r.paysInconnus) for (const l of p.lignes) rows.push([l, 'Pays inconnu', p.valeur]);
  for (const t of r.thematiquesInconnues) for (const l of t.lignes) rows.push([l, 'Thématique inconnue', t.valeur]);
  for (const k of r.conserves) rows.push([k.ligne, 'Valeur conservée', `${k.entite}, ${k.champ} : ${k.raison}`]);
  const [head, ...body] = rows;
  body.sort((a, b) => Number(a[0]) - Number(b[0]));
  return `\uFEFF${[head!, ...body].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}
