"""The README's Python examples, saved as scripts and run as a user would (a fresh process, an
empty folder), with a timeout: Mesa's `batch_run` with two processes must finish."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_block(containing: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
              if containing in b]
    assert len(blocks) == 1, f"expected one README python block with {containing!r}"
    return blocks[0]


def test_the_readme_batch_run_example_finishes_with_two_processes(tmp_path: Path) -> None:
    code = readme_block("mesa.batch_run")
    assert 'if __name__ == "__main__":' in code and "number_processes=2" in code
    script = tmp_path / "batch.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "appropriation" in done.stdout and len(done.stdout.splitlines()) >= 5, done.stdout
