; seed-os stage 2: reads the kernel file, collects the E820 map, enables A20, checks for long
; mode, identity-maps physical memory with 2 MiB pages, enables SSE and NX, enters 64-bit long
; mode, loads the kernel ELF's PT_LOAD segments (zeroing BSS) and jumps to its entry with
; rdi = the boot-info structure (README). Any failure prints a message on screen and COM1 and
; halts. The build driver passes -DLM_KERNEL_LBA / -DLM_KERNEL_SECTORS (defaults = longmode.json).

%ifndef LM_KERNEL_LBA
%define LM_KERNEL_LBA 64
%endif
%ifndef LM_KERNEL_SECTORS
%define LM_KERNEL_SECTORS 896
%endif
%ifndef LM_STAGE2_SECTORS
%define LM_STAGE2_SECTORS 63
%endif

%include "layout.inc"

%define READ_CHUNK_SECTORS 32
%if LM_KERNEL_SECTORS * 512 > KERNEL_BUFFER_END - KERNEL_BUFFER
%error "the kernel slot is larger than the kernel buffer (0x10000-0x80000, 896 sectors)"
%endif

bits 16
org STAGE2_BASE

stage2:
    mov [boot_drive], dl
    mov si, msg_hello
    call print16

    mov di, BOOT_INFO           ; clear the boot-info page
    mov cx, 2048
    xor ax, ax
    rep stosw

    call read_kernel
    call read_e820
    call enable_a20
    call check_long_mode

    cli
    lgdt [gdt_descriptor]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:protected_mode

; ---------------------------------------------------------------- real mode helpers
read_kernel:
    mov dword [read_done], 0
.chunk:
    mov eax, LM_KERNEL_SECTORS
    sub eax, [read_done]
    jz .finished
    cmp eax, READ_CHUNK_SECTORS
    jbe .count_ok
    mov eax, READ_CHUNK_SECTORS
.count_ok:
    mov [dap.count], ax
    mov eax, [read_done]
    shl eax, 5                  ; 512 bytes = 0x20 paragraphs per sector
    add eax, KERNEL_BUFFER >> 4
    mov [dap.segment], ax
    mov word [dap.offset], 0
    mov eax, [read_done]
    add eax, LM_KERNEL_LBA
    mov [dap.lba], eax
    mov dword [dap.lba + 4], 0
    mov si, dap
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jc .error
    movzx eax, word [dap.count]
    add [read_done], eax
    jmp .chunk
.finished:
    ret
.error:
    mov si, msg_disk
    call print16
    mov eax, [dap.lba]
    call print_decimal16
    mov si, msg_newline
    call print16
    jmp halt16

read_e820:
    mov di, BOOT_INFO + 80
    xor ebx, ebx
    xor bp, bp
.next:
    mov eax, 0xe820
    mov edx, 0x534d4150         ; 'SMAP'
    mov ecx, 24
    mov dword [di + 20], 1      ; ACPI 3 attributes: valid unless the BIOS says otherwise
    int 0x15
    jc .done
    cmp eax, 0x534d4150
    jne .done
    mov eax, [di + 8]
    or eax, [di + 12]
    jz .skip                    ; empty entry
    inc bp
    add di, 24
    cmp bp, E820_MAX
    jae .done
.skip:
    test ebx, ebx
    jnz .next
.done:
    test bp, bp
    jz .none
    mov [BOOT_INFO + 8], bp
    ret
.none:
    mov si, msg_no_e820
    call print16
    jmp halt16

enable_a20:
    call a20_enabled
    jnc .done
    mov ax, 0x2401
    int 0x15
    call a20_enabled
    jnc .done
    in al, 0x92                 ; fast A20
    or al, 2
    and al, 0xfe
    out 0x92, al
    call a20_enabled
    jnc .done
    mov si, msg_a20
    call print16
    jmp halt16
.done:
    ret

; carry clear when 0x0000:0x0500 and 0xffff:0x0510 are different bytes
a20_enabled:
    push ds
    push es
    xor ax, ax
    mov ds, ax
    mov ax, 0xffff
    mov es, ax
    mov al, [0x0500]
    push ax
    mov byte [0x0500], 0x00
    mov byte [es:0x0510], 0xff
    cmp byte [0x0500], 0xff
    pop ax
    mov [0x0500], al
    pop es
    pop ds
    je .wraps
    clc
    ret
.wraps:
    stc
    ret

check_long_mode:
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21            ; can CPUID be used?
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    jz .no
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no
    shr edx, 20
    and edx, 1
    mov [nx_supported], dl
    ret
.no:
    mov si, msg_no_long_mode
    call print16
    jmp halt16

%include "print16.inc"

; eax as decimal
print_decimal16:
    xor cx, cx
    mov ebx, 10
.divide:
    xor edx, edx
    div ebx
    push dx
    inc cx
    test eax, eax
    jnz .divide
.emit:
    pop ax
    add al, '0'
    call putc16
    loop .emit
    ret

halt16:
    cli
    hlt
    jmp halt16

; ---------------------------------------------------------------- protected mode: page tables
bits 32
protected_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, STAGE1_BASE

    mov edi, PAGE_TABLES        ; PML4, PDPT and every PD start empty
    mov ecx, (2 + MAX_IDENTITY_GIB) * 1024
    xor eax, eax
    rep stosd

    mov dword [PML4], PDPT | 3
    mov edi, PDPT               ; the first 4 GiB: PDPT[0..4] -> PD_FIRST + n * 4 KiB
    mov eax, PD_FIRST | 3
    mov ecx, 4
.pdpt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 8
    loop .pdpt

    mov edi, PD_FIRST           ; 2048 x 2 MiB pages
    mov eax, 0x83               ; present, writable, 2 MiB
    mov ecx, 2048
.pd:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .pd

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)    ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, 0xc0000080         ; EFER
    rdmsr
    or eax, 1 << 8              ; LME
    cmp byte [nx_supported], 0
    je .no_nx
    or eax, 1 << 11             ; NXE
.no_nx:
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)          ; EM off: SSE works
    or eax, (1 << 31) | (1 << 1) ; PG, MP
    mov cr0, eax
    jmp 0x18:long_mode

; ---------------------------------------------------------------- long mode: load the kernel
bits 64
long_mode:
    mov ax, 0x20
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov rsp, STAGE1_BASE

    call extend_identity_map
    call load_kernel

    mov rax, 'LMBOOTI1'
    mov [BOOT_INFO], rax
    movzx eax, byte [boot_drive]
    mov [BOOT_INFO + 12], eax
    mov rax, [kernel_entry]
    mov [BOOT_INFO + 32], rax
    mov qword [BOOT_INFO + 40], PML4
    mov qword [BOOT_INFO + 48], PAGE_TABLES
    mov rax, [identity_gib]
    shl rax, 12
    add rax, PD_FIRST
    mov [BOOT_INFO + 56], rax
    mov qword [BOOT_INFO + 64], LOADER_START
    mov qword [BOOT_INFO + 72], LOADER_END

    mov rdi, BOOT_INFO
    mov rax, [kernel_entry]
    and rsp, -16
    call rax
    mov rsi, msg_returned
    jmp fail64

; map everything the E820 map reports, beyond the first 4 GiB (up to MAX_IDENTITY_GIB)
extend_identity_map:
    mov ecx, [BOOT_INFO + 8]
    mov rsi, BOOT_INFO + 80
    xor rdx, rdx                ; highest end seen
.entry:
    mov rax, [rsi]
    add rax, [rsi + 8]
    cmp rax, rdx
    jbe .lower
    mov rdx, rax
.lower:
    add rsi, 24
    loop .entry
    add rdx, (1 << 30) - 1
    shr rdx, 30                 ; GiB to map
    cmp rdx, 4
    jae .at_least_4
    mov rdx, 4
.at_least_4:
    cmp rdx, MAX_IDENTITY_GIB
    jbe .capped
    mov rdx, MAX_IDENTITY_GIB
.capped:
    mov [identity_gib], rdx
    mov rbx, 4                  ; next GiB to map
.gib:
    cmp rbx, rdx
    jae .done
    mov rdi, rbx
    shl rdi, 12
    add rdi, PD_FIRST           ; this GiB's PD
    lea rax, [rdi + 3]
    mov [PDPT + rbx * 8], rax
    mov rax, rbx
    shl rax, 30
    or rax, 0x83
    mov ecx, 512
.pde:
    mov [rdi], rax
    add rax, 0x200000
    add rdi, 8
    loop .pde
    inc rbx
    jmp .gib
.done:
    ret

load_kernel:
    mov rsi, KERNEL_BUFFER
    cmp dword [rsi], 0x464c457f
    jne .not_elf
    cmp byte [rsi + 4], 2       ; 64-bit
    jne .not_elf
    cmp word [rsi + 18], 0x3e   ; x86-64
    jne .not_elf
    mov rax, [rsi + 0x18]
    mov [kernel_entry], rax
    mov rbx, [rsi + 0x20]
    add rbx, rsi                ; first program header
    movzx r12, word [rsi + 0x38] ; count
    movzx r13, word [rsi + 0x36] ; size of one
    mov r14, -1                 ; lowest loaded byte
    xor r15, r15                ; one past the highest
    test r12, r12
    jz .not_elf
.segment:
    cmp dword [rbx], 1          ; PT_LOAD
    jne .next
    mov r8, [rbx + 0x18]        ; p_paddr
    mov r9, [rbx + 0x08]        ; p_offset
    mov r10, [rbx + 0x20]       ; p_filesz
    mov r11, [rbx + 0x28]       ; p_memsz
    cmp r8, KERNEL_MIN_ADDR
    jb .too_low
    lea rax, [r9 + r10]
    cmp rax, LM_KERNEL_SECTORS * 512
    ja .too_big
    mov rdi, r8
    lea rsi, [r9 + KERNEL_BUFFER]
    mov rcx, r10
    rep movsb
    mov rcx, r11
    sub rcx, r10
    xor eax, eax
    rep stosb                   ; BSS
    cmp r8, r14
    jae .not_lower
    mov r14, r8
.not_lower:
    lea rax, [r8 + r11]
    cmp rax, r15
    jbe .next
    mov r15, rax
.next:
    add rbx, r13
    dec r12
    jnz .segment
    cmp r15, 0
    je .not_elf
    mov [BOOT_INFO + 16], r14
    mov [BOOT_INFO + 24], r15
    ret
.not_elf:
    mov rsi, msg_not_elf
    jmp fail64
.too_low:
    mov rsi, msg_too_low
    jmp fail64
.too_big:
    mov rsi, msg_too_big
    jmp fail64

; print the zero-terminated string at rsi on VGA (white on red, line 20) and COM1, then halt
fail64:
    mov rdi, 0xb8000 + 20 * 160
.char:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x4f
    mov [rdi], ax
    add rdi, 2
    mov dx, COM1 + 5
    mov bl, al
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, bl
    mov dx, COM1
    out dx, al
    jmp .char
.halt:
    cli
    hlt
    jmp .halt

; ---------------------------------------------------------------- data
boot_drive:    db 0
nx_supported:  db 0
align 8
read_done:     dd 0
identity_gib:  dq 4
kernel_entry:  dq 0

align 4
dap:           db 16, 0
.count:        dw 0
.offset:       dw 0
.segment:      dw 0
.lba:          dq 0

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff       ; 0x08 code, 32-bit
    dq 0x00cf92000000ffff       ; 0x10 data
    dq 0x00af9a000000ffff       ; 0x18 code, 64-bit
    dq 0x00cf92000000ffff       ; 0x20 data
gdt_end:
gdt_descriptor:
    dw gdt_end - gdt - 1
    dd gdt

msg_hello:        db "seed-os: stage 2", 13, 10, 0
msg_disk:         db "seed-os: disk read error at LBA ", 0
msg_newline:      db 13, 10, 0
msg_no_e820:      db "seed-os: the BIOS gave no E820 memory map", 13, 10, 0
msg_a20:          db "seed-os: the A20 line could not be enabled", 13, 10, 0
msg_no_long_mode: db "seed-os: no long mode: this CPU cannot run 64-bit code", 13, 10, 0
msg_not_elf:      db "seed-os: the kernel at LBA ", %str(LM_KERNEL_LBA), " is not an x86-64 ELF file", 13, 10, 0
msg_too_low:      db "seed-os: a kernel segment is below 1 MiB (link the kernel at 0x100000 or above)", 13, 10, 0
msg_too_big:      db "seed-os: the kernel ELF is larger than its disk slot (", %str(LM_KERNEL_SECTORS), " sectors)", 13, 10, 0
msg_returned:     db "seed-os: the kernel returned to the bootloader", 13, 10, 0

times LM_STAGE2_SECTORS * 512 - ($ - $$) db 0
