// The QMP commands and events the emulator layer uses, with their argument and result types.
export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export type QmpRunState =
  | 'running' | 'paused' | 'prelaunch' | 'shutdown' | 'guest-panicked' | 'internal-error'
  | 'debug' | 'io-error' | 'restore-vm' | 'save-vm' | 'suspended' | 'watchdog' | 'finish-migrate'
  | 'inmigrate' | 'postmigrate' | 'colo';

export interface QmpCommands {
  qmp_capabilities: { args: undefined; result: Record<string, never> };
  'query-status': { args: undefined; result: { running: boolean; singlestep?: boolean; status: QmpRunState } };
  stop: { args: undefined; result: Record<string, never> };
  cont: { args: undefined; result: Record<string, never> };
  system_reset: { args: undefined; result: Record<string, never> };
  'set-action': { args: { reboot?: 'reset' | 'shutdown'; shutdown?: 'poweroff' | 'pause'; panic?: 'pause' | 'shutdown' | 'none' }; result: Record<string, never> };
  quit: { args: undefined; result: Record<string, never> };
  'human-monitor-command': { args: { 'command-line': string }; result: string };
  pmemsave: { args: { val: number; size: number; filename: string }; result: Record<string, never> };
  memsave: { args: { val: number; size: number; filename: string; 'cpu-index'?: number }; result: Record<string, never> };
  screendump: { args: { filename: string; format?: 'ppm' | 'png' }; result: Record<string, never> };
}
