bits 16
org 0x7C00
%macro PUT 1
    mov al, %1
    out dx, al
%endmacro
start:
    mov al, 0x1234
    PUT 0x999
    jmp undefined_label
    times 510 - ($ - $$) db 0
    dw 0xAA55
