"""The README's Python lines run as written, from the repository's root."""

import os
import re
import subprocess
import sys

from conftest import ROOT


def python_blocks():
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readmes_python_runs_as_written():
    blocks = python_blocks()
    assert blocks, "the README's Python section has a ```python block"
    lines = [l for l in blocks[0].splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert len(lines) <= 6, "the lines a user needs, few"
    p = subprocess.run(
        [sys.executable, "-c", blocks[0]], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "it prints what it says it prints"


def test_the_example_script_runs_and_draws_its_chart(tmp_path):
    env = dict(os.environ, GIGAFACTORY_EXAMPLE_OUT=str(tmp_path))
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python" / "eu_plans.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert p.returncode == 0, p.stderr
    assert "eu-investai: utilisation" in p.stdout
    chart = tmp_path / "eu-plans-tenants.png"
    assert chart.stat().st_size > 10_000
