// Window size and position remembered across launches, kept on a visible screen.
import type { WindowState } from './settings';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const DEFAULT_WINDOW = { width: 1280, height: 820 } as const;

/** Restores saved bounds when at least a 100×50 corner of the title bar is on one display's work area. */
export function restoreBounds(
  saved: WindowState | undefined,
  workAreas: Rect[],
): { width: number; height: number; x?: number; y?: number; maximized: boolean } {
  if (!saved) return { ...DEFAULT_WINDOW, maximized: false };
  const width = saved.width;
  const height = saved.height;
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized };
  const { x, y } = saved;
  const visible = workAreas.some(
    (a) => x + 100 <= a.x + a.width && x + width - 100 >= a.x && y >= a.y - 10 && y + 50 <= a.y + a.height,
  );
  if (!visible)
    return {
      width: Math.min(width, DEFAULT_WINDOW.width),
      height: Math.min(height, DEFAULT_WINDOW.height),
      maximized: saved.maximized,
    };
  return { x, y, width, height, maximized: saved.maximized };
}
