// GDB remote serial protocol framing: `$payload#checksum`, acks, escapes and run-length encoding.

export function checksum(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum = (sum + payload.charCodeAt(i)) & 0xff;
  return sum.toString(16).padStart(2, '0');
}

/** Escapes `$ # } *` as the protocol requires and wraps the payload in a packet. */
export function encodePacket(payload: string): string {
  const escaped = payload.replace(/[$#}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
  return `$${escaped}#${checksum(escaped)}`;
}

/** Undoes `}` escapes and `*` run-length encoding in a received payload. */
export function decodePayload(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '}') {
      out += String.fromCharCode(raw.charCodeAt(++i) ^ 0x20);
    } else if (c === '*' && out.length > 0) {
      const repeat = raw.charCodeAt(++i) - 29;
      out += out[out.length - 1].repeat(repeat);
    } else {
      out += c;
    }
  }
  return out;
}

export interface ParsedPacket {
  payload: string;
  valid: boolean;
}

/**
 * Incremental parser over the byte stream from the stub. Acks (`+`/`-`) outside a packet are
 * dropped; each complete packet is returned with whether its checksum matched.
 */
export class PacketParser {
  private buffer = '';

  push(chunk: string): ParsedPacket[] {
    this.buffer += chunk;
    const packets: ParsedPacket[] = [];
    for (;;) {
      const start = this.buffer.indexOf('$');
      if (start < 0) {
        this.buffer = '';
        break;
      }
      const hash = this.buffer.indexOf('#', start);
      if (hash < 0 || hash + 3 > this.buffer.length) {
        this.buffer = this.buffer.slice(start);
        break;
      }
      const raw = this.buffer.slice(start + 1, hash);
      const sum = this.buffer.slice(hash + 1, hash + 3);
      this.buffer = this.buffer.slice(hash + 3);
      packets.push({ payload: decodePayload(raw), valid: sum.toLowerCase() === checksum(raw) });
    }
    return packets;
  }
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A register value as the stub sends it (target byte order, little-endian on x86) to a bigint. */
export function littleEndianHexToBigInt(hex: string): bigint {
  let value = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) value = (value << 8n) | BigInt(parseInt(hex.substr(i, 2), 16));
  return value;
}

/** Stop replies (`T05…`, `S05`, `W00`, `X09`) as opposed to answers to ordinary commands. */
export function isStopReply(payload: string): boolean {
  return /^[TS][0-9a-fA-F]{2}/.test(payload) || /^[WX][0-9a-fA-F]{2}/.test(payload);
}
