// Workspace-relative paths as they travel in the contract: '/'-separated, never absolute, never `..`.
// This is the syntax check; main/node/services/confine.ts adds the realpath (symlink) check.

/** Returns a reason the path is unacceptable, or undefined when it is a clean relative path. */
export function checkRelativePath(path: string): string | undefined {
  if (path.length === 0) return 'the path is empty; give a path relative to the workspace, e.g. "kernel/src/main.rs"';
  if (path.length > 4096) return 'the path is longer than 4096 characters';
  if (path.includes('\0')) return 'the path contains a NUL character';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    return `"${path}" is absolute; give a path relative to the workspace`;
  }
  const segments = path.split(/[\\/]/);
  if (segments.includes('..')) return `"${path}" leaves the workspace through '..'; only files inside the workspace can be opened`;
  return undefined;
}

/** '/'-joined segments without '.', empty parts or a trailing slash: "a/./b//c/" → "a/b/c". */
export function normalizeRelativePath(path: string): string {
  return path
    .split(/[\\/]/)
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}
