"""Shared fixtures, and docs/reliability.md written from the reliability tests on request."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_runtest_logreport(report) -> None:
    if report.when == "call" and report.passed:
        from tests.reliability import reliability_log

        reliability_log.seen.add(Path(report.fspath).stem)


def pytest_sessionfinish(session, exitstatus) -> None:
    """With REGENERATE_RELIABILITY=1, a passing session that ran every reliability suite rewrites
    docs/reliability.md."""
    if os.environ.get("REGENERATE_RELIABILITY") != "1" or exitstatus != 0:
        return
    from tests.reliability import reliability_log

    if reliability_log.complete():
        (ROOT / "docs" / "reliability.md").write_text(reliability_log.markdown())


def _mount_tmpfs(folder: Path, options: str) -> bool:
    import subprocess

    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _umount(folder: Path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


import pytest  # noqa: E402


@pytest.fixture
def read_only_dir(tmp_path):
    """A real read-only folder: a read-only tmpfs when root (whom permissions do not stop), else chmod 555."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if not _mount_tmpfs(folder, "ro,size=64k"):
        pytest.skip("running as root without permission to mount a read-only tmpfs")
    try:
        yield folder
    finally:
        _umount(folder)


@pytest.fixture
def small_disk(tmp_path):
    """A real 512 kB file system (tmpfs) that can be filled up: a full disk. Needs root to mount."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount_tmpfs(folder, "size=512k"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        _umount(folder)
