// What the desktop app remembers between runs: the last workspace (app-state.json) and, per
// workspace, the open tabs and pane layout (ui-state/<hash>.json), all in the user-data folder.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  const key = createHash('sha256').update(workspace).digest('hex').slice(0, 16);
  return new JsonUiStateStore(join(userData, 'ui-state', `${key}.json`));
}
