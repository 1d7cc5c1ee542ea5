import { describe, expect, it } from 'vitest';
import { callShapes, validateCall } from './call-shapes';
import { decodeIncoming } from './wire';

describe('validateCall', () => {
  it('accepts every call of the contract with good arguments', () => {
    expect(validateCall('workspace.info', {})).toMatchObject({ ok: true, method: 'workspace.info' });
    expect(validateCall('workspace.info', undefined)).toMatchObject({ ok: true, args: {} });
    expect(validateCall('fs.read', { path: 'kernel/src/main.rs' })).toMatchObject({ ok: true });
    expect(validateCall('fs.write', { path: 'a.asm', text: 'x', expectedVersion: 'v' })).toMatchObject({ ok: true });
    expect(validateCall('fs.write', { path: 'a.asm', text: 'x' })).toMatchObject({ ok: true });
    expect(validateCall('vm.boot', { paused: true })).toMatchObject({ ok: true });
    expect(validateCall('ui.saveState', { state: { openTabs: ['a.rs'], activeTab: 'a.rs', layout: { explorerWidth: 240, vgaVisible: true } } })).toMatchObject({ ok: true });
  });

  it('refuses an unknown method, including names inherited from Object', () => {
    for (const method of ['fs.format', 'constructor', '__proto__', 'toString', 42, undefined]) {
      const check = validateCall(method, {});
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.error).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/unknown call/) });
    }
  });

  it('refuses arguments of the wrong shape and says which field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['fs.read', {}, /args\.path is missing/],
      ['fs.read', { path: 7 }, /args\.path must be/],
      ['fs.read', { path: 'a', extra: 1 }, /unknown field 'extra'/],
      ['fs.read', [], /must be an object/],
      ['fs.read', null, /must be an object/],
      ['fs.create', { path: 'a', kind: 'link' }, /args\.kind must be one of 'file', 'dir'/],
      ['vm.boot', { paused: 'yes' }, /args\.paused must be true or false/],
      ['vm.watchVga', {}, /args\.enabled is missing/],
      ['ui.saveState', { state: { openTabs: [1], layout: {} } }, /args\.state\.openTabs\[0\]/],
      ['ui.saveState', { state: { openTabs: [], layout: { a: { nested: 1 } } } }, /args\.state\.layout\.a/],
      ['workspace.info', { x: 1 }, /unknown field 'x'/],
    ];
    for (const [method, args, message] of cases) {
      const check = validateCall(method, args);
      expect(check.ok, `${method} ${JSON.stringify(args)}`).toBe(false);
      if (!check.ok) expect(check.error.message).toMatch(message);
    }
  });

  it('refuses paths that leave the workspace with the outside-workspace code', () => {
    for (const path of ['/etc/passwd', '../secret', 'kernel/../../x', 'a\\..\\..\\b', 'C:\\Windows', '\\\\server\\share']) {
      const check = validateCall('fs.read', { path });
      expect(check.ok, path).toBe(false);
      if (!check.ok) expect(check.error.code, path).toBe('outside-workspace');
    }
    const renameCheck = validateCall('fs.rename', { from: 'a.rs', to: '../a.rs' });
    expect(renameCheck).toMatchObject({ ok: false, error: { code: 'outside-workspace' } });
    expect(validateCall('fs.read', { path: '' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(validateCall('fs.read', { path: 'a\0b' })).toMatchObject({ ok: false });
  });

  it('has a shape for every call (the type enforces it; this guards the runtime table)', () => {
    for (const [name, shape] of Object.entries(callShapes)) expect(shape, name).toBeDefined();
  });
});

describe('decodeIncoming', () => {
  it('needs a call message with a numeric id', () => {
    expect(decodeIncoming('text')).toMatchObject({ ok: false, id: undefined });
    expect(decodeIncoming({ kind: 'event', event: 'vm.state' })).toMatchObject({ ok: false });
    expect(decodeIncoming({ kind: 'call', id: '1', method: 'vm.status', args: {} })).toMatchObject({ ok: false, id: undefined });
    expect(decodeIncoming({ kind: 'call', id: 3, method: 'vm.nope', args: {} })).toMatchObject({ ok: false, id: 3 });
    expect(decodeIncoming({ kind: 'call', id: 4, method: 'vm.status', args: {} })).toMatchObject({ ok: true, id: 4, method: 'vm.status' });
  });
});

describe('the hot-exit and fault-switch calls', () => {
  it('accept good arguments', () => {
    expect(validateCall('backup.write', { path: 'kernel/src/main.rs', text: 'x', baseVersion: 'v' })).toMatchObject({ ok: true });
    expect(validateCall('backup.write', { path: 'new.rs', text: '' })).toMatchObject({ ok: true });
    expect(validateCall('backup.list', {})).toMatchObject({ ok: true });
    expect(validateCall('backup.discard', { path: 'a.asm' })).toMatchObject({ ok: true });
    for (const fault of ['page', 'triple', 'spin', 'double']) expect(validateCall('vm.boot', { fault }), fault).toMatchObject({ ok: true });
  });

  it('refuse backups outside the workspace and unknown fault switches', () => {
    expect(validateCall('backup.write', { path: '../../.bashrc', text: 'x' })).toMatchObject({ ok: false, error: { code: 'outside-workspace' } });
    expect(validateCall('backup.discard', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'outside-workspace' } });
    expect(validateCall('backup.write', { path: 'a.rs', text: 5 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(validateCall('vm.boot', { fault: 'nuke' })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/'page', 'triple'/) } });
  });
});
