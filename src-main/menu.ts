// The French application menu, as plain data so it is testable; main.ts builds it with Menu.
export interface MenuItemSpec {
  label?: string;
  role?: string;
  type?: 'separator';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface MenuActions {
  checkForUpdates: () => void;
  openHelp: () => void;
  openLogsFolder: () => void;
}

export function buildMenuTemplate(platform: NodeJS.Platform, appName: string, actions: MenuActions): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  return [
    ...(mac
      ? [
          {
            label: appName,
            submenu: [
              { role: 'about', label: `À propos d’${appName}` },
              sep,
              { role: 'hide', label: `Masquer ${appName}` },
              { role: 'hideOthers', label: 'Masquer les autres' },
              { role: 'unhide', label: 'Tout afficher' },
              sep,
              { role: 'quit', label: `Quitter ${appName}` },
            ],
          },
        ]
      : []),
    {
      label: 'Fichier',
      submenu: [mac ? { role: 'close', label: 'Fermer la fenêtre' } : { role: 'quit', label: 'Quitter' }],
    },
    {
      label: 'Édition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        sep,
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    {
      label: 'Affichage',
      submenu: [
        { role: 'reload', label: 'Recharger' },
        sep,
        { role: 'resetZoom', label: 'Taille réelle' },
        { role: 'zoomIn', label: 'Zoom avant' },
        { role: 'zoomOut', label: 'Zoom arrière' },
        sep,
        { role: 'togglefullscreen', label: 'Plein écran' },
      ],
    },
    {
      label: 'Fenêtre',
      submenu: [{ role: 'minimize', label: 'Réduire' }, ...(mac ? [{ role: 'zoom', label: 'Agrandir' }] : [])],
    },
    {
      label: 'Aide',
      submenu: [
        { label: 'Rechercher une mise à jour', click: actions.checkForUpdates },
        { label: 'Ouvrir le dossier des journaux', click: actions.openLogsFolder },
        { label: 'Aide en ligne', click: actions.openHelp },
      ],
    },
  ];
}
