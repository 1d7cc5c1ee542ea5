// `longmode clean`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode clean: not implemented yet');
  return 2;
};
