// `longmode serve`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode serve: not implemented yet');
  return 2;
};
