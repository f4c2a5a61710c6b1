"""`load_scenario` refuses bad scenarios with a message naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import ScenarioError, load_scenario

CASES = {
    "misspelt": ("[participation]\nweight_tme = 1\n", ["participation.weight_tme", "unknown"]),
    "negative": ("[tables]\nbottom_up_rate = -0.1\n", ["tables.bottom_up_rate", "-0.1"]),
    "wrong_type": ('[population]\nterritories = "two"\n', ["population.territories", "two"]),
    "broken": ("[run\nyears = \n", ["TOML", "line 1"]),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_names_file_and_field(tmp_path: Path, case: str):
    text, fragments = CASES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_unknown_scenario_name_lists_the_known_ones():
    with pytest.raises(ScenarioError, match="no_such_scenario") as caught:
        load_scenario("no_such_scenario")
    assert "baseline" in str(caught.value)


def test_missing_file_is_named(tmp_path: Path):
    missing = tmp_path / "absent.toml"
    with pytest.raises(ScenarioError, match="absent.toml"):
        load_scenario(missing)


def test_unknown_override_names_the_key():
    with pytest.raises(ScenarioError, match="weight_tme"):
        load_scenario("baseline", {"weight_tme": 1})


def test_bad_override_value_names_the_field():
    with pytest.raises(ScenarioError) as caught:
        load_scenario("baseline", {"weight_time": -1})
    assert "participation.weight_time" in str(caught.value)
    assert "baseline.toml" in str(caught.value)


def test_overrides_by_leaf_and_dotted_path():
    scenario = load_scenario("baseline", {"weight_time": 1.5, "run.years": 3})
    assert scenario.participation.weight_time == 1.5
    assert scenario.run.years == 3
