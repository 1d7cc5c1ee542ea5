// `longmode doctor`: not written yet.
import type { Command } from './args';

export const command: Command = async () => {
  console.error('longmode doctor: not implemented yet');
  return 2;
};
