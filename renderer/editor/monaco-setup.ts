// Monaco, lean: the editor API, the editor worker, Rust from Monaco's Monarch definitions, our NASM
// grammar, a few plain languages for the sample's other files, and the Longmode dark theme.
import * as monaco from 'monaco-editor/editor/editor.api';
import './monaco-features';
import 'monaco-editor/languages/definitions/rust/register';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { NASM_LANGUAGE_ID, nasmConfiguration, nasmLanguage } from './nasm-language';

export { monaco };

let ready = false;

export function setUpMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  monaco.languages.register({ id: NASM_LANGUAGE_ID, extensions: ['.asm', '.nasm', '.inc', '.s'], aliases: ['NASM', 'nasm'] });
  monaco.languages.setMonarchTokensProvider(NASM_LANGUAGE_ID, nasmLanguage);
  monaco.languages.setLanguageConfiguration(NASM_LANGUAGE_ID, nasmConfiguration);
  monaco.languages.register({ id: 'linker-script', extensions: ['.ld'], aliases: ['Linker script'] });
  monaco.languages.setMonarchTokensProvider('linker-script', {
    tokenizer: {
      root: [
        [/\/\*/, 'comment', '@comment'],
        [/\b(?:ENTRY|SECTIONS|PHDRS|MEMORY|KEEP|ALIGN|AT|ADDR|LOADADDR|SIZEOF|PROVIDE|OUTPUT_FORMAT|OUTPUT_ARCH|FILEHDR|PHDRS|FLAGS|NOLOAD|DISCARD)\b/, 'keyword'],
        [/0x[\da-fA-F]+|\d+[KM]?/, 'number'],
        [/\.[\w.]+/, 'type'],
      ],
      comment: [[/\*\//, 'comment', '@pop'], [/./, 'comment']],
    },
  });
  monaco.editor.defineTheme('longmode-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'keyword.instruction.nasm', foreground: '569cd6', fontStyle: 'bold' },
      { token: 'keyword.directive.nasm', foreground: 'c586c0' },
      { token: 'keyword.size.nasm', foreground: '4ec9b0' },
      { token: 'variable.register.nasm', foreground: '9cdcfe' },
      { token: 'variable.macro.nasm', foreground: 'd7ba7d' },
      { token: 'metatag.preprocessor.nasm', foreground: 'c586c0', fontStyle: 'italic' },
      { token: 'type.label.nasm', foreground: 'dcdcaa' },
      { token: 'constant.location.nasm', foreground: 'd7ba7d' },
      { token: 'constant.builtin.nasm', foreground: 'd7ba7d' },
      { token: 'string.escape.nasm', foreground: 'd7ba7d' },
    ],
    colors: { 'editor.background': '#1b1d23' },
  });
  monaco.editor.setTheme('longmode-dark');
  return monaco;
}

export function languageForPath(path: string): string {
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
  const byExtension: Record<string, string> = {
    '.rs': 'rust', '.asm': NASM_LANGUAGE_ID, '.nasm': NASM_LANGUAGE_ID, '.inc': NASM_LANGUAGE_ID, '.s': NASM_LANGUAGE_ID,
    '.toml': 'ini', '.md': 'markdown', '.ld': 'linker-script',
  };
  return byExtension[ext] ?? 'plaintext';
}
