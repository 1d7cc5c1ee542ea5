// Child processes by parent PID, read from /proc: how tests find the QEMU they (or a server they
// started) spawned, without ever looking processes up by name alone.
import { readdirSync, readFileSync } from 'node:fs';

/** The PIDs whose parent is `parentPid`, optionally only those whose command starts with `name` (as /proc truncates it: 15 characters). */
export function childProcesses(parentPid: number, name?: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid && (name === undefined || comm.startsWith(name.slice(0, 15)))) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
