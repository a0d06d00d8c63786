// Save and open dialogs for CSV exports and change files. Only what the user picks in a native
// dialog is read or written: the renderer never names a path.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FILE_BYTES } from '../src-shared/ipc/contract';
import { IpcFailure } from './ipc';

export interface FileFilterLike {
  name: string;
  extensions: string[];
}

export interface DialogLike {
  showSaveDialog(options: {
    defaultPath?: string;
    filters?: FileFilterLike[];
    title?: string;
  }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  showOpenDialog(options: {
    filters?: FileFilterLike[];
    properties: Array<'openFile'>;
    title?: string;
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface FilesDeps {
  dialog: DialogLike;
  defaultDir: () => string;
  log: (m: string) => void;
}

export function createFiles(deps: FilesDeps) {
  return {
    async save(req: {
      suggestedName: string;
      content: string | Uint8Array;
      filters?: FileFilterLike[] | undefined;
    }): Promise<{ saved: boolean; path?: string }> {
      const res = await deps.dialog.showSaveDialog({
        title: 'Enregistrer le fichier',
        defaultPath: path.join(deps.defaultDir(), path.basename(req.suggestedName)),
        ...(req.filters ? { filters: req.filters } : {}),
      });
      if (res.canceled || !res.filePath) return { saved: false };
      try {
        await writeFile(res.filePath, req.content);
      } catch {
        deps.log('file save failed');
        throw new IpcFailure('FAILED', 'Le fichier n’a pas pu être enregistré à cet emplacement.');
      }
      return { saved: true, path: res.filePath };
    },

    async open(req: { filters?: FileFilterLike[] | undefined }): Promise<{ name: string; content: string } | null> {
      const res = await deps.dialog.showOpenDialog({
        title: 'Ouvrir un fichier',
        properties: ['openFile'],
        ...(req.filters ? { filters: req.filters } : {}),
      });
      const file = res.filePaths[0];
      if (res.canceled || !file) return null;
      const info = await stat(file);
      if (info.size > MAX_FILE_BYTES) throw new IpcFailure('FAILED', 'Ce fichier est trop volumineux (50 Mo au plus).');
      // CSV files from spreadsheet software often start with a UTF-8 BOM.
      const content = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      return { name: path.basename(file), content };
    },

    /** Like `open`, as bytes (a snapshot): the size is checked before anything is read. */
    async openBytes(req: {
      filters?: FileFilterLike[] | undefined;
    }): Promise<{ name: string; content: Uint8Array<ArrayBuffer> } | null> {
      const res = await deps.dialog.showOpenDialog({
        title: 'Ouvrir un fichier',
        properties: ['openFile'],
        ...(req.filters ? { filters: req.filters } : {}),
      });
      const file = res.filePaths[0];
      if (res.canceled || !file) return null;
      const info = await stat(file);
      if (!info.isFile()) throw new IpcFailure('FAILED', 'Choisissez un fichier.');
      if (info.size > MAX_FILE_BYTES) throw new IpcFailure('FAILED', 'Ce fichier est trop volumineux (50 Mo au plus).');
      let buf: Buffer;
      try {
        buf = await readFile(file);
      } catch {
        deps.log('file open failed');
        throw new IpcFailure('FAILED', 'Ce fichier n’a pas pu être lu.');
      }
      // A plain Uint8Array (not a Buffer over Node's shared pool) crosses the context bridge as it is.
      return { name: path.basename(file), content: new Uint8Array(buf) };
    },
  };
}
