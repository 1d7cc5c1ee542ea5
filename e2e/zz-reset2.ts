import { readdirSync, copyFileSync } from 'node:fs';
import { copySample, startServer } from './harness';
import { connectApi } from './api-client';
let fails = 0;
for (let i = 0; i < 6; i++) {
  const sample = copySample(); const server = await startServer(sample.dir); const { api, close } = await connectApi(server.url);
  const states: string[] = [];
  api.on('vm.state', (s) => states.push(`${s.state}${s.fault ? ' FAULT ' + s.fault.message : ''}`));
  await api.call('vm.watchVga', { enabled: true });
  const running = new Promise<void>((r) => api.on('vm.state', (s) => s.state === 'running' && r()));
  void api.call('vm.boot', {});
  await running;
  try {
    await api.call('debug.breakAtPhase2', {});
    process.stdout.write('.');
  } catch (e) {
    fails++;
    console.log(`\nrun ${i}: ${(e as Error).message}\nstates: ${states.join(' | ')}`);
    for (const d of readdirSync('/dev/shm').filter((n) => n.startsWith(`longmode-${server.process.pid}-`))) {
      try { copyFileSync(`/dev/shm/${d}/qemu.log`, `/tmp/fail-${i}-${d}.log`); console.log('saved', d); } catch {}
    }
  }
  await api.call('vm.stop', {}); close(); await server.stop(); sample.dispose();
}
console.log(`\nfails ${fails}`);
