// VM snapshots through QEMU's savevm/loadvm (the disk is opened with snapshot=on, so the
// user's image is never written and savevm works on a raw image).
import type { QmpClient } from './qmp/client';

export interface SnapshotInfo {
  id: string;
  name: string;
  vmStateSize: string;
  date: string;
  vmClock: string;
}

const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new Error(`snapshot name '${name}' is not allowed: use 1-64 letters, digits, '.', '_' or '-'`);
  }
}

/** HMP prints nothing on success and a message on failure. */
async function hmpOrThrow(qmp: QmpClient, line: string, what: string): Promise<void> {
  const out = (await qmp.hmp(line, 60_000)).trim();
  if (out) throw new Error(`${what} failed: ${out}`);
}

export async function saveSnapshot(qmp: QmpClient, name: string): Promise<void> {
  checkName(name);
  await hmpOrThrow(qmp, `savevm ${name}`, `saving snapshot '${name}'`);
}

export async function loadSnapshot(qmp: QmpClient, name: string): Promise<void> {
  checkName(name);
  await hmpOrThrow(qmp, `loadvm ${name}`, `restoring snapshot '${name}'`);
}

export async function deleteSnapshot(qmp: QmpClient, name: string): Promise<void> {
  checkName(name);
  await hmpOrThrow(qmp, `delvm ${name}`, `deleting snapshot '${name}'`);
}

export async function listSnapshots(qmp: QmpClient): Promise<SnapshotInfo[]> {
  return parseSnapshotList(await qmp.hmp('info snapshots'));
}

/**
 * Parses `info snapshots`:
 *   ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT
 *   1         phase2            2.1 MiB 2025-11-25 09:40:00 00:00:01.234
 */
export function parseSnapshotList(text: string): SnapshotInfo[] {
  const out: SnapshotInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(\S+)\s+([\d.]+ \w+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s+(\S+)/.exec(line.trim());
    if (m && m[1] !== 'ID') out.push({ id: m[1], name: m[2], vmStateSize: m[3], date: m[4], vmClock: m[5] });
  }
  return out;
}
