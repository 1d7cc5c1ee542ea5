import { readdirSync, readFileSync, copyFileSync } from 'node:fs';
import { copySample, startServer } from './harness';
import { connectApi } from './api-client';
const sample = copySample(); const server = await startServer(sample.dir); const { api, close } = await connectApi(server.url);
let fails = 0;
const states: string[] = [];
api.on('vm.state', (s) => states.push(`${s.state}${s.fault ? ' FAULT ' + s.fault.message : ''}`));
for (let i = 0; i < 12; i++) {
  await api.call('vm.boot', {});
  await new Promise((r) => setTimeout(r, i % 3 === 0 ? 300 : i % 3 === 1 ? 700 : 1500));
  try {
    await api.call('debug.breakAtPhase2', {});
    process.stdout.write('.');
  } catch (e) {
    fails++;
    console.log(`\nrun ${i}: ${(e as Error).message}\nstates: ${states.slice(-8).join(' | ')}`);
    for (const d of readdirSync('/dev/shm').filter((n) => n.startsWith(`longmode-${server.process.pid}-`))) {
      try { copyFileSync(`/dev/shm/${d}/qemu.log`, `/tmp/fail-${i}-${d}.log`); console.log('saved', d); } catch {}
    }
  }
  states.length = 0;
}
console.log(`\nfails ${fails}`);
await api.call('vm.stop', {}); close(); await server.stop(); sample.dispose();
