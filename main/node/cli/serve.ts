// `longmode serve [--workspace DIR] [--port N] [--json]`: the IDE in a browser, on 127.0.0.1 only.
// Prints exactly one line (the URL with its token) or one JSON document on stdout; logs go to stderr.
// Runs until SIGINT/SIGTERM, then stops any guest it started.
import { resolve } from 'node:path';
import { startBrowserServer } from '../server/browser-server';
import { emulatorBackend } from '../services/emulator-adapter';
import { ServiceHost } from '../services/service-host';
import { ServiceError } from '../services/service-error';
import { toolchainBackend } from '../services/toolchain-adapter';
import { longmodeRoot, parseArgs, printJson, UsageError, workspaceDir, type Command } from './args';

export const command: Command = async (args) => {
  const { values, flags } = parseArgs(args, { values: ['workspace', 'port'], booleans: ['json'] });
  const port = parsePort(values.port);
  const log = (line: string) => process.stderr.write(`longmode serve: ${line}\n`);
  // a stray promise in a service must not take the IDE (and the guest) down: log it, keep serving
  process.on('unhandledRejection', (reason) => log(`internal error (unhandled rejection): ${(reason as Error)?.stack ?? String(reason)}`));

  let host: ServiceHost;
  try {
    host = await ServiceHost.open({ workspace: workspaceDir(values), build: toolchainBackend, vm: emulatorBackend, log });
  } catch (err) {
    if (err instanceof ServiceError) throw new UsageError(err.message);
    throw err;
  }
  let server;
  try {
    server = await startBrowserServer({ host, port, rendererDir: resolve(longmodeRoot(), 'dist/renderer'), log });
  } catch (err) {
    await host.dispose();
    throw new UsageError((err as Error).message);
  }

  if (flags.json) printJson({ url: server.url, port: server.port, token: server.token, workspace: host.workspace.root });
  else process.stdout.write(server.url + '\n');
  log(`serving ${host.workspace.root} (stop with Ctrl+C)`);

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  log(`${signal}: stopping`);
  await server.close();
  await host.dispose();
  return 0;
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port), not '${text}'`);
  return port;
}
