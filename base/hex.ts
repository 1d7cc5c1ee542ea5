/** A 64-bit guest value as a lowercase hex string ("0x…"); never a JS number, which loses bits. */
export type Hex = string;
