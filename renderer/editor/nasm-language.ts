// A Monarch grammar for NASM (Monaco ships none): instructions, registers, directives, the
// preprocessor, labels (global, .local, ..@), comments, strings and numbers in every NASM form.
// Pure data: registered by monaco-languages.ts, unit-tested with Monaco's own Monarch lexer.
import type { languages } from 'monaco-editor/editor/editor.api';

export const NASM_LANGUAGE_ID = 'nasm';

const instructions = `
aaa aad aam aas adc adcx add addpd addps addsd addss adox and andn andnpd andnps andpd andps arpl
bextr blsi blsmsk blsr bound bsf bsr bswap bt btc btr bts bzhi call cbw cdq cdqe clac clc cld clflush
clflushopt cli clts clwb cmc cmova cmovae cmovb cmovbe cmovc cmove cmovg cmovge cmovl cmovle cmovna
cmovnae cmovnb cmovnbe cmovnc cmovne cmovng cmovnge cmovnl cmovnle cmovno cmovnp cmovns cmovnz cmovo
cmovp cmovpe cmovpo cmovs cmovz cmp cmppd cmpps cmpsb cmpsd cmpsq cmpss cmpsw cmpxchg cmpxchg16b
cmpxchg8b comisd comiss cpuid cqo crc32 cvtsi2sd cvtsi2ss cvtsd2si cvtss2si cvttsd2si cvttss2si cwd cwde
daa das dec div divpd divps divsd divss emms enter f2xm1 fabs fadd faddp fchs fclex fcom fcomp fcompp
fdiv fdivp fdivr fdivrp ffree fild fincstp finit fist fistp fld fld1 fldcw fldenv fldz fmul fmulp fnclex
fninit fnop fnsave fnstcw fnstenv fnstsw fprem fptan frndint frstor fsave fscale fsin fsincos fsqrt fst
fstcw fstenv fstp fstsw fsub fsubp fsubr fsubrp ftst fucom fwait fxam fxch fxrstor fxrstor64 fxsave
fxsave64 hlt idiv imul in inc insb insd insw int int1 int3 into invd invlpg invpcid iret iretd iretq iretw
ja jae jb jbe jc jcxz je jecxz jg jge jl jle jmp jna jnae jnb jnbe jnc jne jng jnge jnl jnle jno jnp jns jnz
jo jp jpe jpo jrcxz js jz lahf lar lddqu ldmxcsr lds lea leave les lfence lfs lgdt lgs lidt lldt lmsw
lock lodsb lodsd lodsq lodsw loop loope loopne loopnz loopz lsl lss ltr lzcnt maskmovdqu maxpd maxps
maxsd maxss mfence minpd minps minsd minss monitor mov movabs movapd movaps movbe movd movdqa movdqu
movhlps movhpd movhps movlhps movlpd movlps movmskpd movmskps movntdq movnti movntpd movntps movq movsb
movsd movsq movss movsw movsx movsxd movupd movups movzx mul mulpd mulps mulsd mulss mulx mwait neg nop
not or orpd orps out outsb outsd outsw pabsb pabsd pabsw packssdw packsswb packuswb paddb paddd paddq
paddw pand pandn pause pcmpeqb pcmpeqd pcmpeqw pdep pext pop popa popad popcnt popf popfd popfq por
prefetch prefetchnta prefetcht0 prefetcht1 prefetcht2 prefetchw pshufb pshufd pslld psllq psllw psrld
psrlq psrlw psubb psubd psubq psubw ptest punpckhbw punpcklbw push pusha pushad pushf pushfd pushfq pxor
rcl rcr rdfsbase rdgsbase rdmsr rdpid rdpmc rdrand rdseed rdtsc rdtscp rep repe repne repnz repz ret
retf retn rol ror rorx rsm sahf sal sar sarx sbb scasb scasd scasq scasw seta setae setb setbe setc sete
setg setge setl setle setna setnae setnb setnbe setnc setne setng setnge setnl setnle setno setnp setns
setnz seto setp setpe setpo sets setz sfence sgdt shl shld shlx shr shrd shrx sidt sldt smsw sqrtpd
sqrtps sqrtsd sqrtss stac stc std sti stmxcsr stosb stosd stosq stosw str sub subpd subps subsd subss
swapgs syscall sysenter sysexit sysret test tzcnt ucomisd ucomiss ud0 ud1 ud2 unpckhpd unpckhps
unpcklpd unpcklps verr verw vmcall vmlaunch vmresume vmxoff vmxon vzeroall vzeroupper wait wbinvd
wrfsbase wrgsbase wrmsr xadd xchg xgetbv xlat xlatb xor xorpd xorps xrstor xsave xsaveopt xsetbv`;

const registers = `
al ah ax eax rax bl bh bx ebx rbx cl ch cx ecx rcx dl dh dx edx rdx si esi rsi sil di edi rdi dil
sp esp rsp spl bp ebp rbp bpl ip eip rip cs ds es fs gs ss cr0 cr2 cr3 cr4 cr8 dr0 dr1 dr2 dr3 dr6 dr7
st0 st1 st2 st3 st4 st5 st6 st7 mm0 mm1 mm2 mm3 mm4 mm5 mm6 mm7 k0 k1 k2 k3 k4 k5 k6 k7`;

const directives = `
bits use16 use32 use64 org section segment global extern common static required default cpu float
absolute align alignb struc endstruc istruc iend at times equ incbin db dw dd dq dt do dy dz
resb resw resd resq rest reso resy resz sectalign warning map`;

const sizes = 'byte word dword qword tword oword yword zword strict near far short rel abs seg wrt nosplit to';

const preprocessor = `
define xdefine idefine ixdefine undef defstr defalias deftok assign iassign strlen strcat substr
macro imacro endmacro unmacro rmacro irmacro rep endrep exitrep rotate include pathsearch depend use
if ifn ifdef ifndef ifmacro ifnmacro ifidn ifidni ifnidn ifnidni ifid ifnum ifstr iftoken ifempty ifenv
elif elifn elifdef elifndef elifidn elifidni elifmacro elifnum elifstr else endif error warning fatal
push pop repl line clear local arg stacksize pragma comment endcomment`;

const words = (list: string) => list.trim().split(/\s+/);

export const nasmConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: ';' },
  brackets: [
    ['[', ']'],
    ['(', ')'],
    ['{', '}'],
  ],
  autoClosingPairs: [
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
    { open: "'", close: "'", notIn: ['string', 'comment'] },
    { open: '`', close: '`', notIn: ['string', 'comment'] },
  ],
  wordPattern: /(-?\d[\w.]*)|(\.\.@|%%|\.)?[A-Za-z_?$][\w$#@~.?]*/,
};

export const nasmLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.nasm',
  ignoreCase: true,
  instructions: words(instructions),
  registers: words(registers),
  directives: words(directives),
  sizes: words(sizes),
  preprocessor: words(preprocessor),

  tokenizer: {
    root: [
      [/;.*$/, 'comment'],
      // label definitions at the start of a line: `start:`, `.loop:`, `..@tmp:`, or `msg db …`
      [/^(\s*)(\.\.@[\w$#@~.?]+|\.?[A-Za-z_?][\w$#@~.?]*)(:)/, ['', { cases: { '@registers': 'variable.register', '@default': 'type.label' } }, 'delimiter']],
      [/^(\s*)([A-Za-z_?][\w$#@~.?]*)(?=\s+(?:db|dw|dd|dq|dt|do|dy|dz|res[bwdqtoyz]|equ|times)\b)/, ['', 'type.label']],
      { include: '@whitespace' },
      { include: '@numbers' },
      { include: '@strings' },
      // the preprocessor: %define, %macro …, macro parameters %1, %%local, %$context, %+
      [/%(?:\d+|%[\w$#@~.?]+|\$+[\w$#@~.?]*|[+?*]|\{[^}]*\})/, 'variable.macro'],
      [new RegExp(`%(?:${words(preprocessor).join('|')})(?![\\w$#@~.?])`), 'metatag.preprocessor'],
      [/%[A-Za-z]+/, 'identifier'],
      // $ is "here", $$ the section start; `$name` escapes a keyword used as a name
      [/\$\$|\$(?![\w$#@~.?])/, 'constant.location'],
      [/__\??[A-Za-z_]\w*?\??__/, 'constant.builtin'],
      // local and non-local label references
      [/\.\.@[\w$#@~.?]+|\.[A-Za-z_?$][\w$#@~.?]*/, 'type.label'],
      [/(?:r(?:[89]|1[0-5])[bwdl]?|[xyz]mm(?:[12]?\d|3[01]))(?![\w$#@~.?])/, 'variable.register'],
      [/\$?[A-Za-z_?][\w$#@~.?]*/, {
        cases: {
          '@instructions': 'keyword.instruction',
          '@registers': 'variable.register',
          '@directives': 'keyword.directive',
          '@sizes': 'keyword.size',
          '@default': 'identifier',
        },
      }],
      [/[[\]]/, 'delimiter.square'],
      [/[()]/, 'delimiter.parenthesis'],
      [/[{}]/, 'delimiter.curly'],
      [/<<|>>>?|\/\/|%%|[-+*/%|^&~!<>=]=?|\|\||&&|\^\^/, 'operator'],
      [/[,:]/, 'delimiter'],
      [/./, 'invalid'],
    ],

    whitespace: [[/[ \t\r\n]+/, '']],

    numbers: [
      // floats: 1.0, 1., 1.e10, 3.14e-5, 1e10, 0x1.8p+1 (hex float)
      [/0[xh][\da-f_]*\.[\da-f_]*(?:p[+-]?\d+)?(?![\w.])/, 'number.float'],
      [/\d[\d_]*\.[\d_]*(?:e[+-]?\d+)?(?![\w.])/, 'number.float'],
      [/\d[\d_]*e[+-]?\d+(?![\w.])/, 'number.float'],
      // suffixed forms come before prefixed ones so 0bh is hex and 0b1010 is binary
      [/\d[\da-f_]*[hx](?![\w.])/, 'number.hex'],
      [/[01][01_]*[by](?![\w.])/, 'number.binary'],
      [/[0-7][0-7_]*[qo](?![\w.])/, 'number.octal'],
      [/\d[\d_]*[dt](?![\w.])/, 'number'],
      [/0[xh][\da-f_]+(?![\w.])/, 'number.hex'],
      [/\$\d[\da-f_]*(?![\w.])/, 'number.hex'],
      [/0[by][01_]+(?![\w.])/, 'number.binary'],
      [/0[oq][0-7_]+(?![\w.])/, 'number.octal'],
      [/0[dt][\d_]+(?![\w.])/, 'number'],
      [/\d[\d_]*(?![\w.])/, 'number'],
    ],

    strings: [
      [/"[^"]*"/, 'string'],
      [/'[^']*'/, 'string'],
      [/`/, { token: 'string', next: '@backquoted' }],
      [/["'][^"']*$/, 'string.invalid'],
    ],

    backquoted: [
      [/[^`\\]+/, 'string'],
      [/\\(?:[0-7]{1,3}|x[\da-f]{1,2}|u[\da-f]{4}|U[\da-f]{8}|.)/, 'string.escape'],
      [/`/, { token: 'string', next: '@pop' }],
    ],
  },
};
