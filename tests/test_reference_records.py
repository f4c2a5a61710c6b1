"""Speed-only changes keep the numbers: short runs of four scenarios give the records they gave
before the compiled kernels (tests/data/reference_records.json was written by the NumPy code
of af1f9a0). A change of the rules, or of a sum's order, regenerates it on purpose
(`python -m tests.reference_records`) and says so in its commit."""

import json

import pytest
from reference_records import CASES, REFERENCE, records


@pytest.mark.parametrize("case", sorted(CASES))
def test_records_are_the_reference_bit_for_bit(case: str) -> None:
    assert records(case) == json.loads(REFERENCE.read_text())[case]


def test_the_reference_tells_the_cases_apart() -> None:
    """A digest that ignored the values would make the check above pass for any model."""
    reference = json.loads(REFERENCE.read_text())
    frames = {digests["model_frame"] for digests in reference.values()}
    assert len(frames) == len(CASES)
