// Confines file access to the open workspace: syntax (no absolute paths, no `..`) and then the
// real location (realpath), so a symlink that resolves outside the workspace is refused too.
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { checkRelativePath, normalizeRelativePath } from '../../common/workspace-path';
import { ServiceError } from './service-error';

export class WorkspaceRoot {
  private constructor(
    /** the workspace folder as given (absolute) */
    readonly root: string,
    /** the same folder with symlinks resolved */
    readonly realRoot: string,
  ) {}

  static async open(root: string): Promise<WorkspaceRoot> {
    try {
      return new WorkspaceRoot(root, await realpath(root));
    } catch {
      throw new ServiceError('not-found', `the workspace folder ${root} does not exist: pass an existing folder with --workspace`);
    }
  }

  /** The clean relative form of a contract path, or a ServiceError saying why it is refused. */
  clean(relPath: string): string {
    const problem = checkRelativePath(relPath);
    if (problem) throw new ServiceError('outside-workspace', problem);
    const clean = normalizeRelativePath(relPath);
    if (clean === '') throw new ServiceError('bad-request', 'the path names the workspace folder itself; name a file or folder inside it');
    return clean;
  }

  /** The real absolute path of an existing file or folder, following symlinks, refused if that lands outside. */
  async target(relPath: string): Promise<string> {
    const clean = this.clean(relPath);
    let real: string;
    try {
      real = await realpath(join(this.realRoot, clean));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ServiceError('not-found', `${clean} does not exist in the workspace`);
      throw err;
    }
    this.assertInside(real, clean);
    return real;
  }

  /** The absolute path of the entry itself (a symlink is not followed), whose folder must be inside. */
  async entry(relPath: string): Promise<string> {
    const clean = this.clean(relPath);
    const parent = dirname(join(this.realRoot, clean));
    let realParent: string;
    try {
      realParent = await realpath(parent);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ServiceError('not-found', `the folder ${dirname(clean)} does not exist in the workspace`);
      throw err;
    }
    this.assertInside(realParent, clean);
    return join(realParent, basename(clean));
  }

  /** Follows symlinks when the target exists; otherwise the entry itself (a new file). */
  async targetOrEntry(relPath: string): Promise<string> {
    try {
      return await this.target(relPath);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'not-found') return this.entry(relPath);
      throw err;
    }
  }

  isInside(absPath: string): boolean {
    return absPath === this.realRoot || absPath.startsWith(this.realRoot + sep);
  }

  /** The workspace-relative, '/'-separated form of an absolute path under the real root. */
  relativeOf(absPath: string): string {
    return relative(this.realRoot, absPath).split(sep).join('/');
  }

  private assertInside(real: string, clean: string): void {
    if (!this.isInside(real)) {
      throw new ServiceError('outside-workspace', `${clean} resolves outside the workspace (through a symlink); only files inside the workspace can be used`);
    }
  }
}
