// What a guest boots from, and with which firmware. The manifest's `boot` section, the CLI's
// --image/--iso/--kernel/--uefi flags and the emulator's QEMU arguments all speak this shape.
import type { Hex } from './hex';

export type BootMedia =
  /** a raw disk image (-drive format=raw) */
  | { kind: 'disk'; image: string }
  /** an El Torito ISO (-cdrom), e.g. from grub-mkrescue or Limine */
  | { kind: 'iso'; iso: string }
  /** -kernel: a multiboot ELF or a Linux bzImage, with an optional initrd and command line */
  | { kind: 'kernel'; kernel: string; initrd?: string; append?: string }
  /** UEFI only: a folder given to the guest as a FAT drive (QEMU's vvfat) */
  | { kind: 'folder'; folder: string };

export type Firmware = 'bios' | 'uefi';

export interface BootSpec {
  media: BootMedia;
  firmware: Firmware;
  /** UEFI: the OVMF code image; default: where Debian's `ovmf` package puts it */
  ovmf?: string;
}

/** An ELF with symbols and DWARF for breakpoints, source lines, fault reports and the inspection record. */
export interface SymbolFile {
  elf: string;
  /** added to every address in the ELF where the kernel runs relocated (hex, default 0x0) */
  loadOffset?: Hex;
}
