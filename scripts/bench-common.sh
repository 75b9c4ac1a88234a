# Sourced by the scripts/bench-* speed benchmarks: hyperfine, a release
# build, a scratch directory with its own plugin cache, and `copy_corpus`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null 2>&1 || sudo apt-get install -y -qq hyperfine; }
cargo build --release --quiet
bin=$PWD/target/release/opslint
corpus=$(cd .. && pwd)/shared/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPSLINT_CACHE_DIR=$work/cache

# copy_corpus DEST PREDICATE FIND-ARGS…: copies the corpus files that FIND-ARGS
# select and PREDICATE (a shell function given the path) accepts into DEST,
# keeping their paths; prints "N files, B bytes" to stderr.
copy_corpus() {
  local dest=$1 keep=$2 n=0 f rel
  shift 2
  while IFS= read -r -d '' f; do
    "$keep" "$f" || continue
    rel=${f#"$corpus"/}
    mkdir -p "$dest/$(dirname "$rel")"; cp "$f" "$dest/$rel"; n=$((n + 1))
  done < <(find "$corpus" -type f \( "$@" \) -print0)
  echo "corpus: $n files, $(find "$dest" -type f -print0 | xargs -0 cat | wc -c) bytes" >&2
}

# bench_scan DIR PLUGIN: the floor (cat, opslint's walk+read) against a scan
# with PLUGIN's rules only and with every plugin; markdown on stdout.
bench_scan() {
  local dir=$1 plugin=$2
  "$bin" check "$dir" >/dev/null 2>&1 || true   # fills the compiled-plugin cache
  hyperfine -N --warmup 5 --runs 30 --export-markdown "$work/scan.md" \
    -n "floor: cat every file" "sh -c 'find $dir -type f -print0 | xargs -0 cat >/dev/null'" \
    -n "floor: opslint walk+read, no plugin run" "$bin floor $dir" \
    -n "scan, $plugin rules only" "$bin check $dir --select $plugin --fail-on high" \
    -n "scan, every plugin" "$bin check $dir --fail-on high" -i >&2
  cat "$work/scan.md"
}
