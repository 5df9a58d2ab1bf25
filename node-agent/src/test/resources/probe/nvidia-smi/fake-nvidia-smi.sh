#!/bin/sh
# Stand-in for nvidia-smi in tests: prints a recorded output file and exits with the given code.
# usage: fake-nvidia-smi.sh OUTPUT_FILE EXIT_CODE [SLEEP_SECONDS] [nvidia-smi arguments...]
# The nvidia-smi arguments it got are written one per line to OUTPUT_FILE.args.
out="$1"
code="$2"
shift 2
case "$1" in
    [0-9]*) sleep "$1"; shift ;;
esac
printf '%s\n' "$@" > "$out.args"
cat "$out"
exit "$code"
