import { describe, expect, it } from 'vitest';
import { faultFromQemuLog, faultFromSerial } from './fault-report';

describe('faultFromSerial', () => {
  it('reads the kernel exception line', () => {
    const serial = 'boot\r\nEXCEPTION vector=14 name=Page fault error=0x2 rip=0xFFFFFFFF80001234 cr2=0xdead000\r\n';
    expect(faultFromSerial(serial)).toEqual({
      kind: 'exception',
      vector: 14,
      name: 'Page fault',
      errorCode: '0x2',
      rip: '0xffffffff80001234',
      cr2: '0xdead000',
      message: 'Page fault (vector 14, error 0x2) at rip 0xffffffff80001234, cr2 0xdead000',
    });
  });
  it('ignores serial text without one', () => {
    expect(faultFromSerial('Longmode seed-os: phase 2\n')).toBeUndefined();
  });
});

describe('faultFromQemuLog', () => {
  const chain = [
    '     1: v=03 e=0000 i=1 cpl=0 IP=0008:0000000000007fe9 pc=0000000000007fe9 SP=0010:0000000000007bc0 env->regs[R_EAX]=0000000000000054',
    'CR0=80010011 CR2=0000000000000000 CR3=0000000000001000 CR4=00000620',
    'check_exception old: 0xffffffff new 0xe',
    '     2: v=0e e=0002 i=0 cpl=0 IP=0008:0000000000008010 pc=0000000000008010 SP=0010:0000000000007bc0 env->regs[R_EAX]=0000000040000000',
    'RAX=0000000040000000 RBX=0',
    'CR0=80010011 CR2=0000000040000000 CR3=0000000000001000 CR4=00000620',
    'check_exception old: 0xe new 0xd',
    '     3: v=08 e=0000 i=0 cpl=0 IP=0008:0000000000008010 pc=0000000000008010 SP=0010:0000000000007bc0 env->regs[R_EAX]=0000000040000000',
    'CR0=80010011 CR2=0000000040000000 CR3=0000000000001000 CR4=00000620',
    'check_exception old: 0x8 new 0xd',
    'Triple fault',
    '',
  ].join('\n');

  it('reports the exception that started the chain', () => {
    expect(faultFromQemuLog(chain)).toMatchObject({
      kind: 'triple-fault',
      vector: 14,
      name: 'Page fault',
      errorCode: '0x2',
      rip: '0x8010',
      cr2: '0x40000000',
    });
  });
  it('still reports a triple fault when nothing was logged', () => {
    expect(faultFromQemuLog('Triple fault\n')).toMatchObject({ kind: 'triple-fault' });
  });
});
