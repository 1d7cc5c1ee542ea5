; seed-os stage 1: the MBR. Loads stage 2 with int 13h extended reads and jumps to it.
; The Longmode build driver passes -DLM_STAGE2_LBA / -DLM_STAGE2_SECTORS; the defaults
; below equal samples/seed-os/longmode.json so plain `nasm -f bin` works too.

%ifndef LM_STAGE2_LBA
%define LM_STAGE2_LBA 1
%endif
%ifndef LM_STAGE2_SECTORS
%define LM_STAGE2_SECTORS 63
%endif

%include "layout.inc"

bits 16
org 0x7c00

start:
    jmp 0:.normalised_cs
.normalised_cs:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STAGE1_BASE
    sti
    cld
    mov [boot_drive], dl
    call serial_init

    mov ah, 0x41                ; are the int 13h extensions there?
    mov bx, 0x55aa
    mov dl, [boot_drive]
    int 0x13
    jc no_extensions
    cmp bx, 0xaa55
    jne no_extensions

    mov si, dap
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jc disk_error

    mov dl, [boot_drive]
    jmp 0:STAGE2_BASE

no_extensions:
    mov si, msg_no_ext
    call print16
    jmp halt

disk_error:
    mov si, msg_disk
    call print16
    mov ax, LM_STAGE2_LBA
    call print_decimal
    mov si, msg_newline
    call print16
halt:
    cli
    hlt
    jmp halt

%include "print16.inc"

; ax as decimal
print_decimal:
    xor cx, cx
    mov bx, 10
.divide:
    xor dx, dx
    div bx
    push dx
    inc cx
    test ax, ax
    jnz .divide
.emit:
    pop ax
    add al, '0'
    call putc16
    loop .emit
    ret

serial_init:
    mov dx, COM1 + 1
    xor al, al
    out dx, al                  ; no interrupts
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al                  ; DLAB on
    mov dx, COM1
    mov al, 1
    out dx, al                  ; divisor 1: 115200 baud
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al                  ; 8N1, DLAB off
    mov dx, COM1 + 2
    mov al, 0xc7
    out dx, al                  ; FIFO on
    mov dx, COM1 + 4
    mov al, 0x0b
    out dx, al
    ret

boot_drive: db 0
msg_no_ext: db "seed-os: BIOS has no int 13h extensions, cannot load stage 2", 13, 10, 0
msg_disk:   db "seed-os: disk read error at LBA ", 0
msg_newline: db 13, 10, 0

align 4
dap:
    db 16, 0
    dw LM_STAGE2_SECTORS
    dw STAGE2_BASE, 0
    dq LM_STAGE2_LBA

times 446 - ($ - $$) db 0
times 64 db 0                   ; empty partition table
dw 0xaa55
