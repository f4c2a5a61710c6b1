"""The planners' scenario library: commented copies round-trip, checks catch errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from concertation.cli import main
from simulation import available_scenarios, load_scenario


@pytest.mark.parametrize("source", sorted(available_scenarios()))
def test_commented_copy_loads_back_to_the_same_scenario(source: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    assert main(["scenario", "new", "mine", "--from", source, "--dir", str(tmp_path)]) == 0
    path = tmp_path / "mine.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n# ") > 20, "a copy to edit explains its parameters"
    copy, original = load_scenario(path), load_scenario(source)
    assert copy.name == "mine"
    texts = {"name", "description", "description_fr"}
    assert copy.model_dump(exclude=texts) == original.model_dump(exclude=texts)
    for language in ("en", "fr"):
        assert copy.described(language) == original.described(language)
    assert main(["scenario", "check", str(path)]) == 0
    assert "is valid" in capsys.readouterr().out


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["scenario", "new", "mine", "--dir", str(tmp_path)]) == 0
    before = (tmp_path / "mine.toml").read_bytes()
    assert main(["scenario", "new", "mine", "--from", "funder_exit", "--dir",
                 str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "mine.toml").read_bytes() == before


def test_check_names_the_file_and_the_field(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "plan.toml"
    bad.write_text("[programmes.design]\ntable_mode = \"shared\"\n")
    assert main(["scenario", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "programmes.design.table_mode" in err
    assert "'own', 'existing' or 'pooled'" in err and "Traceback" not in err
