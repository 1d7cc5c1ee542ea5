// Runs one external tool as a child process: output streamed line by line, cancellable through an
// AbortSignal (the child's whole process group is ended by its id), ENOENT turned into
// "X not found: install it with …".
import { spawn } from 'node:child_process';
import { locateTool, missingToolError, type ToolName } from './tools';

export interface RunOptions {
  cwd: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  onStdoutLine?(line: string): void;
  onStderr?(text: string): void;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

export async function runTool(tool: ToolName, args: string[], opts: RunOptions): Promise<RunResult> {
  const executable = await locateTool(tool, opts.env ?? process.env);
  if (!executable) throw missingToolError(tool);
  if (opts.signal?.aborted) return { code: null, stdout: '', stderr: '', cancelled: true };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(executable, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so cancelling also ends cargo's rustc children
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }
    };
    opts.signal?.addEventListener('abort', cancel, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) opts.onStdoutLine?.(line);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      opts.onStderr?.(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', cancel);
      reject(err.code === 'ENOENT' ? missingToolError(tool) : new Error(`${tool} could not be started: ${err.message}`));
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', cancel);
      if (pending) opts.onStdoutLine?.(pending);
      resolvePromise({ code, stdout, stderr, cancelled });
    });
  });
}
