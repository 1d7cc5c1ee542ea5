// bench/RESULTS.md holds one section per benchmark ("## name" up to the next "## "); each bench
// script replaces only its own section, so several scripts can share the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEADER = '# Longmode benchmarks\n\nEach section is written by its own script; re-run it to refresh that section only.\n';

export function writeResultsSection(file: string, title: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const section = `## ${title}\n\n${body.trim()}\n`;
  const start = text.indexOf(`## ${title}\n`);
  let next: string;
  if (start < 0) {
    next = text.trimEnd() + '\n\n' + section;
  } else {
    const end = text.indexOf('\n## ', start + 1);
    next = text.slice(0, start) + section + (end < 0 ? '' : text.slice(end + 1));
  }
  writeFileSync(file, next.trimEnd() + '\n');
}
