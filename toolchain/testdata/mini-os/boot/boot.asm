; mini-os boot sector: the Longmode toolchain's test fixture.
; Says hello on COM1, reads the kernel (LM_KERNEL_SECTORS sectors from LBA LM_KERNEL_LBA)
; to 0x10000 with the BIOS extended read, and halts.
bits 16
org 0x7C00

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    mov [boot_drive], dl
    mov si, hello
    call serial_print
    mov si, dap
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jc .failed
    mov si, loaded
    call serial_print
    jmp .halt
.failed:
    mov si, failed
    call serial_print
.halt:
    cli
    hlt
    jmp .halt

%include "serial.inc"

boot_drive: db 0
hello:  db "mini-os: boot sector", 13, 10, 0
loaded: db "mini-os: kernel loaded", 13, 10, 0
failed: db "mini-os: disk read failed", 13, 10, 0

align 4
dap:
    db 0x10, 0
    dw LM_KERNEL_SECTORS
    dw 0x0000, 0x1000
    dq LM_KERNEL_LBA

times 510 - ($ - $$) db 0
dw 0xAA55
