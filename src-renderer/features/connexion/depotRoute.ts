// The upload page's route (`#/deposer`), apart from its screen so the login chunk does not load the screen.
export const DEPOT_PATH = '/deposer';

export function isDepotRoute(path: string[]): boolean {
  return path[0] === 'deposer';
}
