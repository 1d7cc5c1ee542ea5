bits 16
org 0x7C00
start:
    mvo ax, bx
    mov ax, 0x12345678
    jmp undefined_label
%include "helper.inc"
    times 510 - ($ - $$) db 0
    dw 0xAA55
