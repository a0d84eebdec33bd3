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


def test_names_with_the_same_slug_never_share_a_journey_folder():
    similar = [scenario("Track order"), scenario("Track-order!"), scenario("TRACK ORDER"),
               scenario("track order 3f0c"), scenario("Return a blender")]
    first = ids(plan(similar))
    assert len(set(first)) == len(first) == 5
    assert "return-a-blender--web" in first  # a slug nobody else has stays readable
    assert all(i.startswith("track-order-") for i in first if "blender" not in i)
    # stable: the same scenarios in another order, or filtered, or sharded keep their ids
    by_name = dict(zip([s.name for s in similar], first))
    again = plan(list(reversed(similar)))
    assert {p.scenario.name: p.id for p in again} == by_name
    only = plan(similar, names=["Track-order!"])
    assert [p.id for p in only] == [by_name["Track-order!"]]
    shards = [p for i in (1, 2) for p in plan(similar, shard=f"{i}/2")]
    assert {p.scenario.name: p.id for p in shards} == by_name


def test_ids_are_unique_even_when_a_name_looks_like_another_slug_with_its_hash():
    a, b = scenario("Track order"), scenario("Track-order")
    taken = [p.id for p in plan([a, b])]
    lookalike = scenario(taken[0].removesuffix("--web"))  # "track-order-<hash>"
    same_name = scenario("Track order")  # plan() given the same name twice
    got = ids(plan([a, b, lookalike, same_name]))
    assert len(set(got)) == 4, got


def test_ids_are_file_name_safe_for_any_name():
    odd = [scenario("退货"), scenario("Rückgabe über die Website"), scenario("../../etc"),
           scenario("x" * 5000), scenario("   ")]
    got = ids(plan(odd))
    assert len(set(got)) == len(got)
    for i in got:
        assert "/" not in i and ".." not in i and len(i.encode()) <= 100
        assert i == i.lower() and all(c.isalnum() or c == "-" for c in i)
    assert "ruckgabe-uber-die-website--web" in got
