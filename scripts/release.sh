#!/usr/bin/env bash
# Releases: one version for the server, the CLI, the C++ client's CMake package and every SDK.
#
#   scripts/release.sh --check      every package states the same version, and CHANGELOG.md has a
#                                   section for it (run by scripts/test.sh)
#   scripts/release.sh 0.2.0        bumps every version to 0.2.0, turns CHANGELOG.md's
#                                   "Unreleased" section into "0.2.0 - <today>", commits, and prints
#                                   the tags to push (v0.2.0, and sdk/go/v0.2.0 for the Go module,
#                                   which lives in a subdirectory)
#
# Where the version lives: CMakeLists.txt (project VERSION: homevisitd, the CLI, the CMake package),
# sdk/python/pyproject.toml, sdk/typescript/package.json (+ package-lock.json), and the package file
# names in the SDK READMEs. Go modules take their version from the tag.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "release: $*" >&2; exit 1; }

versions() {  # prints "FILE VERSION" per place that states one
  echo "CMakeLists.txt $(sed -n 's/^project(homevisit VERSION \([0-9][0-9.]*\) .*/\1/p' CMakeLists.txt)"
  echo "sdk/python/pyproject.toml $(sed -n 's/^version = "\(.*\)"$/\1/p' sdk/python/pyproject.toml)"
  echo "sdk/typescript/package.json $(python3 -c 'import json; print(json.load(open("sdk/typescript/package.json"))["version"])')"
  echo "sdk/typescript/package-lock.json $(python3 -c 'import json; print(json.load(open("sdk/typescript/package-lock.json"))["version"])')"
}

check() {
  local want; want=$(versions | awk 'NR == 1 {print $2}')
  [[ -n "$want" ]] || die "no version in CMakeLists.txt"
  local bad=0
  while read -r file version; do
    if [[ "$version" != "$want" ]]; then
      echo "release: $file says ${version:-nothing}, CMakeLists.txt says $want" >&2
      bad=1
    fi
  done < <(versions)
  grep -q "^## \[$want\]" CHANGELOG.md || { echo "release: CHANGELOG.md has no section for $want" >&2; bad=1; }
  grep -q "^## \[Unreleased\]" CHANGELOG.md || { echo "release: CHANGELOG.md has no [Unreleased] section" >&2; bad=1; }
  [[ "$bad" == 0 ]] || exit 1
  echo "release: every package is at $want"
}

bump() {
  local new="$1" old
  [[ "$new" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version must be MAJOR.MINOR.PATCH, not '$new'"
  [[ -z "$(git status --porcelain)" ]] || die "the work tree has changes: commit or stash them first"
  check >/dev/null
  old=$(versions | awk 'NR == 1 {print $2}')
  [[ "$new" != "$old" ]] || die "already at $new"
  grep -A3 "^## \[Unreleased\]" CHANGELOG.md | grep -q "^- " || die "CHANGELOG.md's Unreleased section is empty"
  sed -i "s/^project(homevisit VERSION $old /project(homevisit VERSION $new /" CMakeLists.txt
  sed -i "s/^version = \"$old\"$/version = \"$new\"/" sdk/python/pyproject.toml
  python3 - "$new" <<'PY'
import json, sys
new = sys.argv[1]
for path in ("sdk/typescript/package.json", "sdk/typescript/package-lock.json"):
    data = json.load(open(path))
    data["version"] = new
    if path.endswith("lock.json") and "" in data.get("packages", {}):
        data["packages"][""]["version"] = new
    with open(path, "w") as out:
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
PY
  sed -i "s/homevisit-$old-py3/homevisit-$new-py3/g" sdk/python/README.md
  sed -i "s/izzi-homevisit-$old\.tgz/izzi-homevisit-$new.tgz/g; s/\`@izzi\/homevisit\` $old/\`@izzi\/homevisit\` $new/" sdk/typescript/README.md
  sed -i "s/^## \[Unreleased\]$/## [Unreleased]\n\n## [$new] - $(date -u +%Y-%m-%d)/" CHANGELOG.md
  check
  git commit -q -am "Release $new"
  echo "release: committed. Tag and push:"
  echo "  git tag v$new && git tag sdk/go/v$new && git push origin v$new sdk/go/v$new"
}

case "${1:-}" in
  --check) check ;;
  ""|-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  *) bump "$1" ;;
esac
