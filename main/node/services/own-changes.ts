// Remembers what the IDE itself just did on disk, so the watcher reports only changes made by others.
const windowMs = 2000;

export class OwnChanges {
  private readonly versions = new Map<string, string>();
  private readonly recent = new Map<string, number>();

  /** The IDE wrote `absPath`, which now has `version`. */
  wrote(absPath: string, version: string): void {
    this.versions.set(absPath, version);
    this.touched(absPath);
  }

  /** The IDE created, renamed or deleted `absPath`. */
  touched(absPath: string): void {
    this.recent.set(absPath, Date.now());
  }

  /** Whether a change seen at `absPath` (now at `version`, undefined if gone) is the IDE's own. */
  isOwn(absPath: string, version: string | undefined): boolean {
    if (version !== undefined && this.versions.get(absPath) === version) return true;
    const at = this.recent.get(absPath);
    if (at === undefined) return false;
    if (Date.now() - at > windowMs) {
      this.recent.delete(absPath);
      return false;
    }
    return version === undefined || !this.versions.has(absPath);
  }
}
