#!/bin/sh
# Builds seed-os without Longmode: both bootloader stages with nasm, the kernel with cargo, and
# the raw disk image build/seed-os.img (2048 sectors) with the pieces where longmode.json puts
# them: stage 1 at LBA 0, stage 2 at LBA 1 (63 sectors), a stripped kernel ELF at LBA 64 (896).
# Usage: tools/mkimage.sh   (from anywhere; needs nasm, cargo, objcopy)
set -eu
cd "$(dirname "$0")/.."

STAGE2_LBA=1; STAGE2_SECTORS=63; KERNEL_LBA=64; KERNEL_SECTORS=896; IMAGE_SECTORS=2048
DEFINES="-DLM_STAGE1_LBA=0 -DLM_STAGE1_SECTORS=1 -DLM_STAGE2_LBA=$STAGE2_LBA -DLM_STAGE2_SECTORS=$STAGE2_SECTORS -DLM_KERNEL_LBA=$KERNEL_LBA -DLM_KERNEL_SECTORS=$KERNEL_SECTORS"

command -v nasm >/dev/null || { echo "nasm not found: install it with 'sudo apt-get install nasm'" >&2; exit 2; }
command -v objcopy >/dev/null || { echo "objcopy not found: install it with 'sudo apt-get install binutils'" >&2; exit 2; }

mkdir -p build
nasm -f bin -I boot/ $DEFINES -o build/stage1.bin boot/stage1.asm
nasm -f bin -I boot/ $DEFINES -o build/stage2.bin boot/stage2.asm
(cd kernel && cargo build --release --quiet)
objcopy --strip-all kernel/target/x86_64-unknown-linux-gnu/release/kernel build/kernel.stripped

size=$(wc -c < build/kernel.stripped)
if [ "$size" -gt $((KERNEL_SECTORS * 512)) ]; then
  echo "the stripped kernel is $size bytes, larger than its $KERNEL_SECTORS-sector slot" >&2
  exit 1
fi

rm -f build/seed-os.img
dd if=/dev/zero of=build/seed-os.img bs=512 count=$IMAGE_SECTORS status=none
dd if=build/stage1.bin of=build/seed-os.img bs=512 seek=0 conv=notrunc status=none
dd if=build/stage2.bin of=build/seed-os.img bs=512 seek=$STAGE2_LBA conv=notrunc status=none
dd if=build/kernel.stripped of=build/seed-os.img bs=512 seek=$KERNEL_LBA conv=notrunc status=none
echo "build/seed-os.img: stage1 $(wc -c < build/stage1.bin) B, stage2 $(wc -c < build/stage2.bin) B, kernel $size B"
