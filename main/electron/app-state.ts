// What the desktop app remembers between runs: the last workspace (app-state.json) and, per
// workspace, the open tabs and pane layout (ui-state/<hash>.json) and the backups of unsaved
// buffers (backups/<hash>/), all in the user-data folder.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupStore } from '../node/services/backup-store';
import { JsonUiStateStore } from '../node/services/ui-state-store';
import { atomicWrite } from '../node/services/atomic-write';

export interface AppState {
  lastWorkspace?: string;
}

export async function loadAppState(userData: string): Promise<AppState> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(userData, 'app-state.json'), 'utf8'));
    const last = (parsed as AppState | null)?.lastWorkspace;
    return typeof last === 'string' ? { lastWorkspace: last } : {};
  } catch {
    return {};
  }
}

export async function saveAppState(userData: string, state: AppState): Promise<void> {
  await mkdir(userData, { recursive: true });
  await atomicWrite(join(userData, 'app-state.json'), JSON.stringify(state, null, 2) + '\n', 0o600);
}

export function uiStateStoreFor(userData: string, workspace: string): JsonUiStateStore {
  return new JsonUiStateStore(join(userData, 'ui-state', `${workspaceKeyOf(workspace)}.json`));
}

/** Hot exit in the desktop app: unsaved buffers are backed up in the user-data folder, never in the workspace. */
export function backupStoreFor(userData: string, workspace: string): BackupStore {
  return new BackupStore([join(userData, 'backups', workspaceKeyOf(workspace))]);
}

const workspaceKeyOf = (workspace: string): string => createHash('sha256').update(workspace).digest('hex').slice(0, 16);
