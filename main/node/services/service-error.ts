// Errors a service throws on purpose: they reach the client as {ok:false, error:{message, code}}.
import type { CallError, ErrorCode } from '../../common/contract';

export class ServiceError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}

/** A file-system error as a ServiceError naming the workspace-relative path (not the absolute one). */
export function fileError(err: unknown, relPath: string): unknown {
  const sys = err as NodeJS.ErrnoException;
  if (err instanceof ServiceError || !sys || typeof sys.code !== 'string') return err;
  const { code, message } = toCallError({ code: sys.code, path: relPath });
  return code === 'internal' ? err : new ServiceError(code as ErrorCode, message);
}

/** Turns anything thrown by a service into the contract's error shape, with a message a person can act on. */
export function toCallError(err: unknown): CallError {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  const sys = err as NodeJS.ErrnoException;
  if (sys && typeof sys.code === 'string') {
    const where = sys.path ? ` (${sys.path})` : '';
    switch (sys.code) {
      case 'ENOENT':
        return { code: 'not-found', message: `no such file or folder${where}` };
      case 'EEXIST':
        return { code: 'already-exists', message: `that name is already taken${where}; choose another` };
      case 'EACCES':
      case 'EPERM':
        return { code: 'failed', message: `permission denied${where}: check the file's owner and mode` };
      case 'ENOTEMPTY':
        return { code: 'failed', message: `the folder is not empty${where}` };
      case 'EISDIR':
        return { code: 'failed', message: `that is a folder, not a file${where}` };
      case 'ENOTDIR':
        return { code: 'failed', message: `a part of the path is a file, not a folder${where}` };
      case 'ENOSPC':
        return { code: 'failed', message: `the disk is full${where}: free some space and save again` };
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `internal error: ${message}` };
}
