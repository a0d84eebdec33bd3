"""Planning: filters by tag, channel and name, and sharding."""

from __future__ import annotations

import pytest

from shopper.errors import Loc, UsageError
from shopper.runner.plan import plan
from shopper.scenario.model import Journey, Scenario


def scenario(name, tags=(), channels=("web",)):
    loc = Loc("x.yaml", 1)
    return Scenario(name=name, file="x.yaml", loc=loc, tags=tuple(tags),
                    journeys={c: Journey(c, {}, (), loc) for c in channels})


ALL = [scenario("Return a blender", ["returns", "smoke"], ("web", "chat")),
       scenario("Track an order", ["orders"], ("web", "phone")),
       scenario("Warranty claim", ["warranty"], ("web",))]


def ids(planned):
    return [p.id for p in planned]


def test_everything_by_default_one_journey_per_channel():
    assert ids(plan(ALL)) == ["return-a-blender--web", "return-a-blender--chat", "track-an-order--web",
                              "track-an-order--phone", "warranty-claim--web"]


def test_filters_combine():
    assert ids(plan(ALL, tags=["smoke", "orders"], channels=["web"])) == [
        "return-a-blender--web", "track-an-order--web"]
    assert ids(plan(ALL, names=["warranty"])) == ["warranty-claim--web"]
    assert ids(plan(ALL, names=["*order*"], channels=["phone"])) == ["track-an-order--phone"]


def test_shards_split_without_overlap():
    shards = [ids(plan(ALL, shard=f"{i}/2")) for i in (1, 2)]
    assert sorted(shards[0] + shards[1]) == sorted(ids(plan(ALL)))
    assert not set(shards[0]) & set(shards[1])


@pytest.mark.parametrize("bad", ["0/2", "3/2", "x", "1-2"])
def test_bad_shard_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="1/4"):
        plan(ALL, shard=bad)
