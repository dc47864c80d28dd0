#!/usr/bin/env bash
# Fills the fuzz corpora (not committed) from the repository's fixtures and the shared corpus:
#   fuzz/corpus/parse_eval/  every .hcl file, one input each
#   fuzz/corpus/model_tree/  every fixture tree, its files joined with `%%file PATH` headers
#                            (the format of tglint_fuzz::split_tree, fuzz/src/lib.rs)
# plus the committed hand-picked seeds of fuzz/seeds/<target>/. Inputs are named by the
# SHA-1 of their contents, as libFuzzer names them, so running it again adds nothing twice.
# The shared corpus is $TGLINT_CORPUS, else ../shared/corpus beside the repository.
# Usage: fuzz/seed.sh            (from anywhere)
set -euo pipefail
shopt -s nullglob

fuzz=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz")
shared=${TGLINT_CORPUS:-$repo/../shared/corpus}
[ -d "$shared" ] || { echo "seed.sh: no shared corpus at $shared (set TGLINT_CORPUS); fixtures only" >&2; shared=; }

max_files=16     # tglint_fuzz::MAX_FILES: a tree input holds at most this many files
max_bytes=65536  # larger inputs only slow the fuzzer down

pe=$fuzz/corpus/parse_eval
mt=$fuzz/corpus/model_tree
mkdir -p "$pe" "$mt"

# add DIR FILE: copies FILE into DIR under the SHA-1 of its contents (if small enough).
add() {
    local size sum
    size=$(wc -c < "$2")
    [ "$size" -le "$max_bytes" ] || return 0
    sum=$(sha1sum < "$2" | cut -d' ' -f1)
    cp "$2" "$1/$sum"
}

# parse_eval: every .hcl file.
n=$(ls "$pe" | wc -l)
while IFS= read -r -d '' f; do
    add "$pe" "$f"
done < <(find "$repo/fixtures" ${shared:+"$shared"} -type f -name '*.hcl' -print0)
for f in "$fuzz"/seeds/parse_eval/*; do add "$pe" "$f"; done
echo "parse_eval: $(( $(ls "$pe" | wc -l) - n )) new inputs in $pe"

# model_tree: one input per tree (a tree with more than max_files files becomes several:
# its shared files with successive groups of its units).
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# emit TREE FILE...: writes the files (paths relative to TREE) as one input.
emit() {
    local tree=$1 f
    shift
    : > "$tmp"
    for f in "$@"; do
        printf '%%%%file %s\n' "${f#"$tree"/}" >> "$tmp"
        cat "$f" >> "$tmp"
        printf '\n' >> "$tmp"
    done
    add "$mt" "$tmp"
}

tree_seeds() {
    local tree=$1 f
    local -a units=() others=()
    while IFS= read -r -d '' f; do
        if [ "$(basename "$f")" = terragrunt.hcl ]; then units+=("$f"); else others+=("$f"); fi
    done < <(find "$tree" \( -name .terragrunt-cache -o -name .terraform -o -name .git \) -prune \
        -o -type f \( -name '*.hcl' -o -name '*.yaml' -o -name '*.yml' -o -name '*.json' \
        -o -name '*.tpl' -o -name '*.txt' -o -name '*.tfvars' \) ! -name 'LICENSE*' -print0 | sort -z)
    if [ $(( ${#units[@]} + ${#others[@]} )) -le "$max_files" ]; then
        emit "$tree" ${others[@]+"${others[@]}"} ${units[@]+"${units[@]}"}
        return
    fi
    others=(${others[@]+"${others[@]:0:$(( max_files / 2 ))}"})
    local room=$(( max_files - ${#others[@]} )) i
    for (( i = 0; i < ${#units[@]}; i += room )); do
        emit "$tree" ${others[@]+"${others[@]}"} "${units[@]:i:room}"
    done
}

n=$(ls "$mt" | wc -l)
trees=("$repo"/fixtures/model/*/ "$repo"/fixtures/workspaces/*/ "$repo"/fixtures/rules/*/*/)
if [ -n "$shared" ]; then
    trees+=("$shared"/terragrunt-fixtures/test/fixtures/*/ "$shared"/real/*/)
fi
for t in "${trees[@]}"; do tree_seeds "${t%/}"; done
for f in "$fuzz"/seeds/model_tree/*; do add "$mt" "$f"; done
echo "model_tree: $(( $(ls "$mt" | wc -l) - n )) new inputs in $mt"
