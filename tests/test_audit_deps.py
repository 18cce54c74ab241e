"""bin/audit-deps, CI's dependency audit: a known vulnerability fails the build; a vulnerability
database that cannot be reached, or knows none of our versions, is reported but fails only when
AUDIT_STRICT=1; pip-audit's own JSON is read as it writes it."""

import json
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bin" / "audit-deps"
loader = SourceFileLoader("audit_deps", str(SCRIPT))
audit_deps = module_from_spec(spec_from_loader("audit_deps", loader))
loader.exec_module(audit_deps)


def _report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {
    "name": "wagtail",
    "version": "8.0.1",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-0001"], "description": "..."}],
}


def test_a_known_vulnerability_fails_and_names_the_fix():
    code, lines = audit_deps.verdict(_report(VULNERABLE, SKIPPED), "", strict=False)
    assert code == 1
    assert "VULNERABLE: django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in lines


def test_no_known_vulnerability_passes_and_names_what_was_not_audited():
    code, lines = audit_deps.verdict(_report(CLEAN, SKIPPED), "", strict=True)
    assert code == 0
    assert "not audited: wagtail" in lines and lines[-1].startswith("1 pinned package(s) audited")


@pytest.mark.parametrize(
    ("stdout", "stderr"),
    [
        ("", "requests.exceptions.ConnectionError: Failed to resolve 'api.osv.dev'"),  # offline
        (_report(SKIPPED, {**SKIPPED, "name": "django"}), ""),  # a database that knows none of our versions
    ],
)
def test_could_not_audit_warns_and_fails_only_when_strict(stdout, stderr):
    code, lines = audit_deps.verdict(stdout, stderr, strict=False)
    assert code == 0 and lines[0].startswith("NOT AUDITED")
    assert audit_deps.verdict(stdout, stderr, strict=True)[0] == 1
