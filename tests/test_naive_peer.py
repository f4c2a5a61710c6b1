"""The naive Mesa peer is the yardstick of the performance target ("ten times a naive Mesa
model of the same size"): it must stay of the same size as the model, or the ratio means
nothing. Its speed is measured by analyses.benchmark, never here."""

from analyses.naive_peer import NaiveModel
from simulation import ConcertationModel


def test_naive_peer_is_a_territory_of_the_same_size() -> None:
    peer = NaiveModel("baseline", rng=0).run()
    model = ConcertationModel("baseline", rng=0).run()
    peer_end = peer.datacollector.get_model_vars_dataframe().iloc[-1]
    model_end = model.model_frame().iloc[-1]
    assert len(peer.actors) == model.actors.n
    assert peer.steps == model.steps + 12 * model.params.initial.spinup_years
    # Same order of tables and seats to decide on each month (within a factor of two).
    assert 0.5 < peer_end["tables"] / model_end["tables_active"] < 2.0
    assert 0.5 < peer_end["memberships_per_actor"] / model_end["memberships_per_actor"] < 2.0
    # Its own dynamics: tables are made, and some dissolve.
    assert peer_end["tables"] > 20
    assert peer.tables_dissolved > 0
