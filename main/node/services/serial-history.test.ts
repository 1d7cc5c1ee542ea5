import { describe, expect, it } from 'vitest';
import { SerialHistory } from './serial-history';

describe('SerialHistory', () => {
  it('gives each chunk its stream offset, so a reattaching client can drop what it already has', () => {
    const history = new SerialHistory();
    expect(history.append('Longmode ')).toBe(0);
    expect(history.append('seed-os')).toBe(9);
    expect(history.snapshot()).toEqual({ text: 'Longmode seed-os', offset: 0 });
    history.clear();
    expect(history.snapshot()).toEqual({ text: '', offset: 0 });
  });

  it('keeps the last MiB and says where it starts', () => {
    const history = new SerialHistory();
    const chunk = 'x'.repeat(300_000) + '\n';
    let end = 0;
    for (let i = 0; i < 10; i++) end = history.append(chunk) + chunk.length;
    const { text, offset } = history.snapshot();
    expect(text.length).toBe(1 << 20);
    expect(offset + text.length).toBe(end);
    expect(history.append('tail')).toBe(end);
  });
});
