#!/bin/sh
# Re-captures the real nasm and cargo output the diagnostics-parser tests read.
# Run from anywhere: sh toolchain/testdata/capture-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/fixtures"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# nasm (never `-o /dev/null`: nasm deletes its output file when assembly fails), run from the broken/ folder the way the build driver runs it from a workspace root.
cd "$here/broken"
nasm -f bin -I boot/ -I boot/inc/ -o "$tmp/out.bin" boot/parse-errors.asm 2> "$out/nasm-parse-errors.txt" || true
nasm -f bin -I boot/ -o "$tmp/out.bin" boot/warnings.asm 2> "$out/nasm-warnings.txt" || true

# cargo, on a temp copy of mini-os with a type error (and one with a warning).
cp -r "$here/mini-os" "$tmp/ws"
main="$tmp/ws/kernel/src/main.rs"
cp "$main" "$tmp/main.rs"
sed -i 's|^    serial::write_bytes(&MINI_MARKER);|&\n    let count: u32 = "three";\n    serial::write_str(count);|' "$main"
(cd "$tmp/ws/kernel" && cargo build --release --message-format=json-diagnostic-rendered-ansi > "$out/cargo-type-error.jsonl" 2>"$tmp/cargo.stderr") || true
cp "$tmp/main.rs" "$main"
sed -i 's|^    serial::write_bytes(&MINI_MARKER);|&\n    let mut spare = 5;\n    let _ = spare;|' "$main"
(cd "$tmp/ws/kernel" && cargo build --release --message-format=json-diagnostic-rendered-ansi > "$out/cargo-warning.jsonl" 2>"$tmp/cargo.stderr") || true
echo "fixtures written to $out"
