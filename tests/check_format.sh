#!/bin/sh
# Every C and C++ file of the project follows .clang-format (Google style, 100 columns).
# usage: check_format.sh SOURCE_DIR
set -eu
cd "$1"
command -v clang-format-14 >/dev/null || { echo "clang-format-14 is missing (.ci/setup installs it)"; exit 1; }
files=$(find include src tests examples conformance -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' | sort)
count=$(echo "$files" | wc -l)
if ! clang-format-14 --dry-run --Werror $files; then
  echo "some files are not formatted: run clang-format-14 -i on them"
  exit 1
fi
echo "$count files formatted"
