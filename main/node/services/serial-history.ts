// A boot's serial output, capped at the last MiB, with the stream offset of what it still holds,
// so a reloaded page can fetch the history and then drop the events it already has.
const cap = 1 << 20;

export class SerialHistory {
  private chunks: string[] = [];
  private held = 0;
  private start = 0; // stream offset of chunks[0]

  /** Appends `text`; returns the stream offset `text` starts at. */
  append(text: string): number {
    const offset = this.start + this.held;
    this.chunks.push(text);
    this.held += text.length;
    if (this.held > cap * 2) this.compact();
    return offset;
  }

  snapshot(): { text: string; offset: number } {
    const text = this.chunks.join('');
    const keep = text.length > cap ? text.slice(text.length - cap) : text;
    return { text: keep, offset: this.start + (text.length - keep.length) };
  }

  clear(): void {
    this.chunks = [];
    this.held = 0;
    this.start = 0;
  }

  private compact(): void {
    const { text, offset } = this.snapshot();
    this.chunks = [text];
    this.held = text.length;
    this.start = offset;
  }
}
