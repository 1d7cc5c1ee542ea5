// The runtime shape of every call's arguments. Typed by `Calls`, so a call added to the contract
// without a shape here fails to type-check.
import type { CallName, CallError, EventName } from './contract';
import { arrayOf, bool, checkShape, empty, literal, mapOf, obj, oneOf, path, str, num, type Shape } from './shape';

/** a 64-bit value as "0x…" (checked for syntax by the service) */
const hexValue = str(24);
const lineNumber: Shape = { kind: 'number', integer: true, min: 1, max: 10_000_000 };

const uiState = obj(
  {
    openTabs: arrayOf(path, 200),
    activeTab: path,
    layout: mapOf(oneOf(num, str(1000), bool), 200),
    breakpoints: mapOf(arrayOf(lineNumber, 1000), 500),
  },
  ['activeTab', 'breakpoints'],
);

export const callShapes: { readonly [M in CallName]: Shape } = {
  'workspace.info': empty,
  'fs.tree': empty,
  'fs.read': obj({ path }),
  'fs.write': obj({ path, text: str(64 << 20), expectedVersion: str(200) }, ['expectedVersion']),
  'fs.create': obj({ path, kind: literal('file', 'dir') }),
  'fs.rename': obj({ from: path, to: path }),
  'fs.delete': obj({ path }),
  'build.run': empty,
  'build.cancel': empty,
  'vm.boot': obj({ paused: bool, fault: literal('page', 'triple', 'spin', 'double') }, ['paused', 'fault']),
  'vm.status': empty,
  'vm.pause': empty,
  'vm.continue': empty,
  'vm.stop': empty,
  'vm.restart': empty,
  'vm.serialInput': obj({ data: str(64 << 10) }),
  'vm.serialHistory': empty,
  'vm.vga': empty,
  'vm.registers': empty,
  'vm.pageTables': empty,
  'vm.watchVga': obj({ enabled: bool }),
  'ui.loadState': empty,
  'ui.saveState': obj({ state: uiState }),
  'backup.write': obj({ path, text: str(64 << 20), baseVersion: str(200) }, ['baseVersion']),
  'backup.list': empty,
  'backup.discard': obj({ path }),
  // inspection and debugging (issue 6)
  'inspect.memoryMap': empty,
  'inspect.heap': empty,
  'inspect.pageTables': empty,
  'inspect.pageTableNode': obj({ table: hexValue, level: { kind: 'number', integer: true, min: 1, max: 4 }, virtBase: hexValue }, ['table', 'level', 'virtBase']),
  'inspect.translate': obj({ address: hexValue }),
  'inspect.readMemory': obj({ address: hexValue, length: { kind: 'number', integer: true, min: 1, max: 64 << 10 }, space: literal('virtual', 'physical') }),
  'inspect.registers': empty,
  'inspect.captureWalk': obj({ name: str(64) }),
  'inspect.captures': empty,
  'inspect.diffWalks': obj({ before: str(64), after: str(64) }, ['after']),
  'debug.setBreakpoints': obj({ file: path, lines: arrayOf(lineNumber, 1000) }),
  'debug.continue': empty,
  'debug.step': empty,
  'debug.stepOver': empty,
  'debug.runToLine': obj({ file: path, line: lineNumber }),
  'debug.breakAtPhase2': empty,
  'debug.locate': obj({ address: hexValue }),
  'snapshot.save': obj({ name: str(64) }),
  'snapshot.load': obj({ name: str(64) }),
  'snapshot.list': empty,
};

const eventSet: { readonly [E in EventName]: true } = {
  'build.progress': true,
  'build.output': true,
  'build.diagnostics': true,
  'build.done': true,
  'vm.state': true,
  'vm.serial': true,
  'vm.vga': true,
  'fs.changed': true,
  'menu.command': true,
  'workspace.changed': true,
  'vm.stopped': true,
  'snapshot.changed': true,
};
export const eventNames = Object.keys(eventSet) as EventName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(callShapes, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}

export type CallCheck = { ok: true; method: CallName; args: unknown } | { ok: false; error: CallError };

/** Checks a method name and its arguments against the contract (missing args count as `{}`). */
export function validateCall(method: unknown, args: unknown): CallCheck {
  if (!isCallName(method)) {
    const name = typeof method === 'string' ? `'${method.slice(0, 80)}'` : 'a non-string method';
    return { ok: false, error: { code: 'bad-request', message: `unknown call ${name}: the contract has no such method` } };
  }
  const given = args === undefined ? {} : args;
  const problem = checkShape(given, callShapes[method], 'args');
  if (problem) {
    const code = /leaves the workspace|is absolute/.test(problem) ? 'outside-workspace' : 'bad-request';
    return { ok: false, error: { code, message: `${method}: ${problem}` } };
  }
  return { ok: true, method, args: given };
}
