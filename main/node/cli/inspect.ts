// `longmode inspect`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode inspect: not implemented yet');
  return 2;
};
