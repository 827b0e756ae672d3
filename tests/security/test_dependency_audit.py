"""The dependency audit of `make test` fails on a known vulnerability and never reports a silent pass."""

import importlib.util
from pathlib import Path

from django.conf import settings

spec = importlib.util.spec_from_file_location(
    "audit_dependencies", Path(settings.BASE_DIR) / "scripts" / "audit_dependencies.py"
)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)


def test_a_package_with_a_known_vulnerability_fails_the_audit(capsys):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
            {"name": "celery", "version": "5.4.0", "vulns": []},
        ]
    }
    assert audit_dependencies.evaluate(report) == 1
    assert "PYSEC-2025-1" in capsys.readouterr().out


def test_clean_packages_pass_the_audit():
    report = {"dependencies": [{"name": "celery", "version": "5.4.0", "vulns": []}]}
    assert audit_dependencies.evaluate(report) == 0


def test_an_audit_that_could_reach_no_advisories_says_so(capsys):
    report = {"dependencies": [{"name": "celery", "version": "5.4.0", "skip_reason": "Dependency not found on PyPI"}]}
    assert audit_dependencies.evaluate(report) == 0
    assert "no package could be audited" in capsys.readouterr().err
