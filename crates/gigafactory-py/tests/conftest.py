"""Shared fixtures: the repository, the command-line binary the package is checked
against, and what to do where a tool is missing (skip, except under CI=true: fail)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "crates" / "gigafactory-cli" / "tests" / "scenarios"
CI = os.environ.get("CI") == "true"


def missing(what: str) -> None:
    """Skip with a notice, or fail under CI=true, where the tests' tools are installed."""
    if CI:
        pytest.fail(f"{what} (CI=true: .ci/run installs it)")
    pytest.skip(what)


def _binary() -> Path:
    if os.environ.get("GIGAFACTORY_BIN"):
        return Path(os.environ["GIGAFACTORY_BIN"])
    targets = [Path(os.environ["CARGO_TARGET_DIR"])] if os.environ.get("CARGO_TARGET_DIR") else []
    targets.append(ROOT / "target")
    for t in targets:
        for profile in ("release", "debug"):
            b = t / profile / "gigafactory"
            if b.is_file():
                return b
    found = shutil.which("gigafactory")
    if found:
        return Path(found)
    missing("no gigafactory binary: build it with `cargo build --release` or set GIGAFACTORY_BIN")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def cli():
    """Run the command line; its completed process."""
    binary = _binary()

    def run(*args, check=True, cwd=None):
        p = subprocess.run(
            [str(binary), *map(str, args)], capture_output=True, text=True, cwd=cwd
        )
        if check and p.returncode != 0:
            raise AssertionError(f"gigafactory {' '.join(map(str, args))}: {p.returncode}\n{p.stderr}")
        return p

    return run
