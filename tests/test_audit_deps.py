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


def _advisory(folder, name: str, ident: str, events: list, **extra) -> None:
    import yaml

    (folder / "vulns" / name).mkdir(parents=True, exist_ok=True)
    record = {
        "id": ident,
        "affected": [
            {"package": {"name": name, "ecosystem": "PyPI"}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}
        ],
        **extra,
    }
    (folder / "vulns" / name / f"{ident}.yaml").write_text(yaml.safe_dump(record))


def test_offline_audit_reads_a_snapshot_of_the_advisory_database(tmp_path):
    (tmp_path / "base.txt").write_text("Django==5.2.19\nfoo-bar[extra]==1.4  # a comment\n")
    (tmp_path / "dev.txt").write_text("-r base.txt\nbaz==2.0.0\n")
    db = tmp_path / "db"
    _advisory(db, "django", "PYSEC-1", [{"introduced": "5.2"}, {"fixed": "5.2.8"}])  # fixed before ours
    _advisory(
        db, "foo-bar", "PYSEC-2", [{"introduced": "0"}, {"fixed": "1.5"}, {"introduced": "2.0"}, {"fixed": "2.1"}]
    )
    _advisory(db, "baz", "PYSEC-3", [{"introduced": "1.0"}, {"last_affected": "2.0.0"}])
    _advisory(db, "baz", "PYSEC-4", [{"introduced": "0"}], withdrawn="2026-01-01T00:00:00Z")

    assert audit_deps.pins([str(tmp_path / "dev.txt")]) == {"django": "5.2.19", "foo-bar": "1.4", "baz": "2.0.0"}
    code, lines = audit_deps.audit_offline([str(tmp_path / "dev.txt")], db, ignore=[])
    assert code == 1
    assert "VULNERABLE: foo-bar 1.4: PYSEC-2 (fixed in 1.5, 2.1)" in lines
    assert "VULNERABLE: baz 2.0.0: PYSEC-3 (fixed in no fixed version yet)" in lines
    assert not any("django" in line or "PYSEC-4" in line for line in lines)  # fixed, withdrawn
    code, lines = audit_deps.audit_offline([str(tmp_path / "dev.txt")], db, ignore=["PYSEC-2", "PYSEC-3"])
    assert code == 0 and "3 pinned package(s) audited against the PyPA advisory database snapshot of" in lines[0]
