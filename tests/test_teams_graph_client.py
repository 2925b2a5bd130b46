"""The Graph client against the fake Graph over HTTP: the token, private channels, members, users, the app
installed for a user, the app catalog; 429 with Retry-After honoured, a bounded number of retries, then a
failure; every broken answer (HTML, cut-off JSON, no id, a dropped connection, a timeout) a failure too."""

from __future__ import annotations

import pytest

from adapters.fakes.teams.graph import FAULTS, FakeGraph
from adapters.teams.graph import GraphClient, GraphError, route

TENANT, CLIENT, SECRET, TEAM = "tenant-0001", "app-0001", "secret", "team-0001"
OWNER, MEMBER = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"


@pytest.fixture
async def graph():
    fake = FakeGraph(TENANT, CLIENT, SECRET)
    await fake.start()
    fake.add_team(TEAM)
    fake.add_user(OWNER, "加藤 一郎", "kato@example.co.jp")
    fake.add_user(MEMBER, "鈴木 花子", "hanako.suzuki@example.co.jp", upn="suzuki@example.co.jp")
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    client = GraphClient(TENANT, CLIENT, SECRET, fake.url, fake.authority, sleep=sleep, backoff=0.01)
    yield fake, client, waits
    await client.close()
    await fake.stop()


async def test_a_private_channel_with_its_owner_and_members(graph) -> None:
    fake, client, _ = graph
    channel = await client.create_private_channel(
        TEAM, "leak-20261201-0001", "LEAK-2026-0001", [OWNER], [MEMBER]
    )
    assert channel["membershipType"] == "private"
    assert fake.members[channel["id"]] == {OWNER: ["owner"], MEMBER: []}
    assert (await client.find_channel(TEAM, "leak-20261201-0001"))["id"] == channel["id"]
    assert await client.find_channel(TEAM, "leak-20261201-0002") is None
    assert await client.add_members(TEAM, channel["id"], [MEMBER]) == []
    with pytest.raises(GraphError) as taken:
        await client.create_private_channel(TEAM, "LEAK-20261201-0001", "", [OWNER], [])
    assert (taken.value.status, taken.value.code, taken.value.retry) == (400, "NameAlreadyExists", False)
    with pytest.raises(GraphError) as too_long:
        await client.create_private_channel(TEAM, "x" * 51, "", [OWNER], [])
    assert too_long.value.status == 400
    assert len(fake.tokens) == 1, "one token, cached"


async def test_people_by_upn_then_by_mail_and_unknown_is_none(graph) -> None:
    _, client, _ = graph
    assert (await client.user("kato@example.co.jp")).id == OWNER
    by_mail = await client.user("hanako.suzuki@example.co.jp")
    assert by_mail is not None and by_mail.id == MEMBER and by_mail.name == "鈴木 花子"
    assert await client.user("nobody@example.co.jp") is None


async def test_installing_the_app_twice_is_fine(graph) -> None:
    fake, client, _ = graph
    fake.publish_app("manifest-id", "catalog-app")
    await client.install_app(MEMBER, "catalog-app")
    await client.install_app(MEMBER, "catalog-app")
    assert fake.installed == {MEMBER}


async def test_429_waits_for_retry_after_then_succeeds(graph) -> None:
    fake, client, waits = graph
    fake.throttle(2, retry_after=3)
    assert (await client.user(OWNER)).name == "加藤 一郎"
    assert waits == [3, 3] and fake.throttled == [3, 3]


async def test_throttled_too_long_or_down_fails_after_bounded_retries(graph) -> None:
    fake, client, waits = graph
    fake.throttle(10, retry_after=1)
    with pytest.raises(GraphError) as throttled:
        await client.user(OWNER)
    assert throttled.value.status == 429 and throttled.value.retry
    assert len(waits) == client.attempts - 1, "bounded"
    fake.throttle(0)
    fake.fail_status = 500
    calls = len(fake.calls)
    with pytest.raises(GraphError) as down:
        await client.user(OWNER)
    assert down.value.retry and len(fake.calls) - calls == client.attempts
    fake.fail_status = None
    fake.throttle(1, retry_after=3600)
    with pytest.raises(GraphError):
        await client.user(OWNER)  # a wait longer than we accept is not waited for


@pytest.mark.parametrize("fault", FAULTS)
async def test_every_broken_answer_is_a_graph_error_and_a_creation_is_never_sent_twice(graph, fault) -> None:
    fake, client, _ = graph
    client.timeout = 0.2  # a minute-long answer is a timeout
    fake.faults = {"GET /users/kato@example.co.jp": fault, "POST /channels": fault}
    with pytest.raises(GraphError) as looked_up:
        await client.user("kato@example.co.jp")
    assert looked_up.value.retry, "later may work"
    with pytest.raises(GraphError) as created:
        await client.create_private_channel(TEAM, "leak-20261201-0001", "LEAK-2026-0001", [OWNER], [])
    assert created.value.retry
    assert sum(1 for method, path in fake.calls if method == "POST" and path.endswith("/channels")) == 1


async def test_the_app_in_the_catalog_by_its_manifest_id(graph) -> None:
    fake, client, _ = graph
    assert await client.catalog_app("manifest-0001") is None
    fake.publish_app("manifest-0001", "catalog-0001")
    assert await client.catalog_app("manifest-0001") == "catalog-0001"


def test_the_log_shows_the_route_never_an_address_or_an_id() -> None:
    assert route("/users/kato%40example.co.jp?$select=id") == "/users/{…}"
    assert route("/users?$filter=mail eq 'kato@example.co.jp'") == "/users"
    assert route(f"/users/{OWNER}/teamwork/installedApps") == "/users/{…}/teamwork/installedApps"
    assert route("https://login.example/tenant-0001/oauth2/v2.0/token") == "/{…}/oauth2/v2.0/token"
