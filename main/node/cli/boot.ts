// `longmode boot`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode boot: not implemented yet');
  return 2;
};
