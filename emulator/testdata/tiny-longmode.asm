; A tiny test OS for the emulator layer's tests: 4 sectors, no Longmode inspection record.
; It enters long mode with a small identity map, prints a banner to VGA text memory and COM1,
; then sleeps in `hlt` and answers serial input (IRQ 4):
;   every byte received is echoed and appended to the buffer at RX_BUFFER (so RAM changes),
;   'T' triple-faults on purpose (empty IDT + int3),
;   'P' writes to an unmapped address (no IDT entry for #PF either, so that escalates too).
; Page tables (identity unless noted):
;   PML4[0]   -> PDPT 0x2000;  PDPT[0] -> PD 0x3000
;   PD[0]     -> PT 0x4000 (4 KiB pages 0..2 MiB, page 0x5000 read-only + NX, page 0 not present)
;   PD[1]     -> 2 MiB page 0x200000 (writable)
;   PML4[510] -> PML4 itself (recursive)
;   PML4[511] -> PDPT 0x2000 as well (a high-half alias of the low 1 GiB, shares sub-tables)
; Build: nasm -f bin tiny-longmode.asm -o tiny-longmode.img

bits 16
org 0x7c00

PML4 equ 0x1000
PDPT equ 0x2000
PD   equ 0x3000
PT   equ 0x4000
RX_BUFFER equ 0x6000       ; [RX_BUFFER] = count (u64), bytes follow
COM1 equ 0x3f8
SECTORS equ 3              ; sectors after the boot sector

stage1:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    mov [boot_drive], dl
    mov ah, 0x02            ; read SECTORS sectors from CHS 0/0/2 to 0x7e00
    mov al, SECTORS
    mov cx, 0x0002
    xor dh, dh
    mov dl, [boot_drive]
    mov bx, 0x7e00
    int 0x13
    jc .halt
    jmp stage2
.halt:
    hlt
    jmp .halt

boot_drive: db 0

times 510 - ($ - $$) db 0
dw 0xaa55

stage2:
    in al, 0x92             ; fast A20
    or al, 2
    out 0x92, al

    mov di, PML4            ; clear 0x1000..0x6fff (tables + page 0x5000 + rx buffer)
    mov cx, 0x3000
    xor ax, ax
    rep stosw
    mov di, idt
    mov cx, 0x800
    rep stosw

    mov dword [PML4], PDPT | 3
    mov dword [PML4 + 510 * 8], PML4 | 3
    mov dword [PML4 + 511 * 8], PDPT | 3
    mov dword [PDPT], PD | 3
    mov dword [PD], PT | 3
    mov dword [PD + 8], 0x200000 | 0x83
    mov di, PT + 8          ; PT[1..511] = identity, present + writable
    mov eax, 0x1003
    mov cx, 511
.fill:
    mov [di], eax
    add eax, 0x1000
    add di, 8
    loop .fill
    mov dword [PT + 5 * 8], 0x5001          ; page 0x5000 read-only ...
    mov dword [PT + 5 * 8 + 4], 0x80000000  ; ... and no-execute

    mov eax, PML4
    mov cr3, eax
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)  ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov ecx, 0xc0000080
    rdmsr
    or eax, (1 << 8) | (1 << 11)             ; LME, NXE
    wrmsr
    mov eax, cr0
    or eax, 0x80010001                       ; PG, WP, PE
    mov cr0, eax
    lgdt [gdt_pointer]
    jmp 0x08:long_mode

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, 0x7c00

    ; VGA: clear the screen (grey on black), then the banner in yellow on blue on row 0
    mov rdi, 0xb8000
    mov ax, 0x0720
    mov rcx, 80 * 25
    rep stosw
    mov rsi, banner
    mov rdi, 0xb8000
.vga:
    lodsb
    test al, al
    jz .vga_done
    mov ah, 0x1e
    stosw
    jmp .vga
.vga_done:
    mov dx, 0x3d4           ; cursor to row 1, column 0 (offset 80)
    mov al, 0x0e
    out dx, al
    inc dx
    xor al, al
    out dx, al
    dec dx
    mov al, 0x0f
    out dx, al
    inc dx
    mov al, 80
    out dx, al

    mov rsi, banner
    call serial_puts
    mov rsi, newline
    call serial_puts

    ; IDT: vectors 0x20..0x2f -> irq_handler; everything else not present
    mov rdi, idt + 0x20 * 16
    mov rcx, 16
.idt:
    mov rax, irq_handler
    mov [rdi], ax
    mov word [rdi + 2], 0x08
    mov word [rdi + 4], 0x8e00
    shr rax, 16
    mov [rdi + 6], ax
    shr rax, 16
    mov [rdi + 8], eax
    add rdi, 16
    loop .idt
    lidt [idt_pointer]

    ; PIC: remap to 0x20/0x28, unmask IRQ 4 only
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xa1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xa1, al
    mov al, 1
    out 0x21, al
    out 0xa1, al
    mov al, 0xef
    out 0x21, al
    mov al, 0xff
    out 0xa1, al

    mov dx, COM1 + 4        ; MCR: DTR, RTS, OUT2 (lets the IRQ through)
    mov al, 0x0b
    out dx, al
    mov dx, COM1 + 1        ; IER: received data available
    mov al, 1
    out dx, al

    sti
idle:
    hlt
    jmp idle

irq_handler:
    push rax
    push rdx
    push rbx
.next:
    mov dx, COM1 + 5
    in al, dx
    test al, 1
    jz .done
    mov dx, COM1
    in al, dx
    cmp al, 'T'
    je triple_fault
    cmp al, 'P'
    je page_fault
    mov rbx, [RX_BUFFER]
    mov [RX_BUFFER + 8 + rbx], al
    inc rbx
    and rbx, 0xfff
    mov [RX_BUFFER], rbx
    out dx, al              ; echo
    jmp .next
.done:
    mov al, 0x20
    out 0x20, al
    pop rbx
    pop rdx
    pop rax
    iretq

triple_fault:
    lidt [empty_idt]
    int3

page_fault:
    mov rax, 0x40000000     ; not mapped (only the low 4 MiB are)
    mov byte [rax], 1
    jmp idle

serial_puts:                ; rsi -> NUL-terminated string
    mov dx, COM1
.next:
    lodsb
    test al, al
    jz .done
    out dx, al
    jmp .next
.done:
    ret

banner: db "tiny-longmode: long mode OK", 0
newline: db 13, 10, 0

align 8
gdt:
    dq 0
    dq 0x00af9a000000ffff   ; 0x08: 64-bit code
    dq 0x00cf92000000ffff   ; 0x10: data
gdt_pointer:
    dw gdt_pointer - gdt - 1
    dd gdt
idt_pointer:
    dw 256 * 16 - 1
    dq idt
empty_idt:
    dw 0
    dq 0

align 16
idt equ 0x9000              ; 4 KiB, cleared in stage2

times 4 * 512 - ($ - $$) db 0
