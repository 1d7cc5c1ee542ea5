// Reads the register layout from the stub's target.xml (and the files it includes).

export interface RegisterInfo {
  name: string;
  regnum: number;
  bitsize: number;
  group?: string;
}

const attrRe = /(\w+)="([^"]*)"/g;

/**
 * Registers in document order, following includes with `load`. Numbering continues from the
 * previous register unless a `regnum` attribute resets it, as GDB does.
 */
export async function readRegisterLayout(load: (annex: string) => Promise<string>): Promise<RegisterInfo[]> {
  const registers: RegisterInfo[] = [];
  let next = 0;
  const visit = async (document: string): Promise<void> => {
    // QEMU 7.2 comments out ss_base/ds_base/es_base: registers inside comments do not exist.
    const xml = document.replace(/<!--[\s\S]*?-->/g, '');
    // Walk the document, expanding includes at their position.
    const tokens = /<xi:include\s+href="([^"]+)"\s*\/>|<reg\s+([^>]*?)\/?>/g;
    for (const m of xml.matchAll(tokens)) {
      if (m[1]) {
        await visit(await load(m[1]));
        continue;
      }
      const attrs = Object.fromEntries([...m[2].matchAll(attrRe)].map((a) => [a[1], a[2]]));
      const regnum = attrs.regnum !== undefined ? Number(attrs.regnum) : next;
      next = regnum + 1;
      registers.push({ name: attrs.name, regnum, bitsize: Number(attrs.bitsize), group: attrs.group });
    }
  };
  await visit(await load('target.xml'));
  return registers;
}
