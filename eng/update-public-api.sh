#!/usr/bin/env bash
# Adds every public symbol the PublicAPI analyzer reports as undeclared (RS0016) to the
# project's PublicAPI.Unshipped.txt. Review the diff: it is the package's public surface.
#   eng/update-public-api.sh src/LeakGuard/LeakGuard.csproj
set -euo pipefail
proj="${1:?usage: eng/update-public-api.sh path/to/Project.csproj}"
dir="$(dirname "$proj")"
log="$(mktemp)"
dotnet build "$proj" -nologo -clp:NoSummary -p:TreatWarningsAsErrors=false "-p:WarningsAsErrors=" >"$log" 2>&1 || true
grep -oE "RS0016: Symbol '[^']+'" "$log" | sed -E "s/^RS0016: Symbol '(.*)'$/\1/" \
  | sed -e "s/&lt;/</g; s/&gt;/>/g" | sort -u >> "$dir/PublicAPI.Unshipped.txt" || true
# keep the header first and the rest sorted and unique
{ echo '#nullable enable'; grep -v '^#nullable enable' "$dir/PublicAPI.Unshipped.txt" | sort -u; } > "$log.new"
mv "$log.new" "$dir/PublicAPI.Unshipped.txt"
rm -f "$log"
grep -c . "$dir/PublicAPI.Unshipped.txt" | xargs echo "entries:"
