// `longmode build`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode build: not implemented yet');
  return 2;
};
