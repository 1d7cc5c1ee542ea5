// Remembers open tabs and pane layout in a small JSON file (written atomically).
// Browser mode keeps it in the workspace's .longmode/ folder; Electron in its user-data folder.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UiState } from '../../common/contract';
import { checkShape } from '../../common/shape';
import { callShapes } from '../../common/call-shapes';
import { atomicWrite } from './atomic-write';

export const emptyUiState = (): UiState => ({ openTabs: [], layout: {} });

export interface UiStateStore {
  load(): Promise<UiState>;
  save(state: UiState): Promise<void>;
}

export class JsonUiStateStore implements UiStateStore {
  constructor(readonly file: string) {}

  async load(): Promise<UiState> {
    try {
      const state: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      // a hand-edited or old file that no longer fits the contract is ignored, not trusted
      return checkShape({ state }, callShapes['ui.saveState'], 'file') ? emptyUiState() : (state as UiState);
    } catch {
      return emptyUiState();
    }
  }

  async save(state: UiState): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await atomicWrite(this.file, JSON.stringify(state, null, 2) + '\n', 0o644);
  }
}

