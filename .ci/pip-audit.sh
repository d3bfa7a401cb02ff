#!/usr/bin/env bash
# pip-audit checks every installed dependency against the published vulnerability data (PyPI's
# JSON API, or OSV). A finding fails CI. Where neither service can be reached (this project's CI
# machines reach only a package mirror), it says so loudly and names what went unchecked, rather
# than passing as if it had checked.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/pa"
"$work/pa/bin/pip" install -q "pip-audit>=2.7,<3"
.venv/bin/pip freeze --exclude-editable >"$work/requirements.txt"
"$work/pa/bin/pip-audit" --progress-spinner off -f json -r "$work/requirements.txt" >"$work/audit.json" 2>"$work/audit.err" || true
python3 - "$work/audit.json" <<'PY'
import json, sys

try:
    dependencies = json.load(open(sys.argv[1]))["dependencies"]
except (OSError, ValueError, KeyError):
    sys.exit("pip-audit gave no report:\n" + open(sys.argv[1].replace(".json", ".err")).read())
found = [d for d in dependencies if d.get("vulns")]
unchecked = [d["name"] for d in dependencies if d.get("skip_reason")]
for d in found:
    for vuln in d["vulns"]:
        print(f"VULNERABLE {d['name']} {d['version']}: {vuln['id']} (fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release yet'})")
if found:
    sys.exit(1)
if unchecked:
    print(f"NOT CHECKED: no vulnerability data reachable from this machine for {len(unchecked)} of "
          f"{len(dependencies)} dependencies ({', '.join(unchecked[:5])}, …). Run .ci/pip-audit.sh where "
          "pypi.org or api.osv.dev is reachable.")
else:
    print(f"pip-audit: no known vulnerabilities in {len(dependencies)} dependencies.")
PY
