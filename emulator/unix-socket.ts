// Connect to a unix socket that a freshly spawned QEMU is about to create.
import { connect, type Socket } from 'node:net';

export async function connectWhenReady(path: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(path);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const retryable = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!retryable || Date.now() > deadline || !isAlive()) {
        throw new Error(`could not connect to QEMU's socket ${path} (${code ?? String(err)}): QEMU did not start; see its error output`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
