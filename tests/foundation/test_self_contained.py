"""The repository alone runs: nothing refers to a folder beside it (a clone with nothing next to it passes)."""

import hashlib
import os
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_register_default_is_the_repositorys_own_copy_of_the_test_set():
    default = ROOT / "persons" / "brp_testset" / "test-data.json"
    assert default.is_file()
    readme = (default.parent / "README.md").read_text(encoding="utf-8")
    assert "EUPL-1.2" in readme and "81c4ccc1" in readme
    assert hashlib.sha256(default.read_bytes()).hexdigest() in readme
    assert (default.parent / "LICENSE").is_file()


def test_no_tracked_file_refers_to_a_folder_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = "../" + "shared"  # spelled in two parts so that this file does not find itself
    offenders = [
        name
        for name in files
        if not name.endswith(".json") and outside in (ROOT / name).read_text(encoding="utf-8", errors="ignore")
    ]
    assert offenders == []


def test_settings_read_the_register_inside_the_repository_unless_told_otherwise():
    assert Path(settings.BRP_TEST_DATA).resolve().is_relative_to(ROOT) or "BRP_TEST_DATA" in os.environ
