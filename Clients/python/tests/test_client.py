"""The clients against a real filings-server: every method, the error paths, concurrency, deadlines,
cancellation, shutdown, and agreement with the Swift CLI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import Server, binary, long_release, release
from filings_client import (
    NO_RETRY,
    AsyncClient,
    Client,
    RPCError,
    StatusCode,
    messages,
    to_dataframe,
    to_dict,
)


def calls(client: Client, method: str) -> int:
    """How many calls of `method` the server has answered."""
    for stats in client.stats().server.methods:
        if stats.method == f"/filings.v1.Filings/{method}":
            return stats.calls
    return 0


def wait_for_handlers(client: Client) -> messages.StatsResponse:
    """Stats once the only call in flight is that Stats call: every handler has returned."""
    end = time.monotonic() + 30
    while True:
        stats = client.stats()
        if stats.server.calls_in_flight == 1 or time.monotonic() > end:
            return stats
        time.sleep(0.02)


def big_store() -> list:
    """Sixteen distinct 64 KB releases: at least 100 ms of parsing on the server, seconds in a debug build."""
    return [(f"doc{n}.txt", long_release(n, 64)) for n in range(16)]


def test_every_method(server: Server) -> None:
    with Client(server.addr) as client:
        assert client.health().status == messages.SERVING

        parsed = client.parse(release(1), filename="r1.txt").filing
        assert parsed.documents[0].kind == messages.PRESS_RELEASE
        assert parsed.documents[0].dateline.date == "2001-02-02"

        documents = [(f"r{n}.txt", release(n)) for n in range(5)]
        stored = client.store(documents).results
        assert [r.filename for r in stored] == [name for name, _ in documents]
        assert all(r.created and len(r.id) == 20 and r.error_code == 0 for r in stored)
        again = client.store(documents).results
        assert [(r.id, r.created) for r in again] == [(r.id, False) for r in stored]

        page = client.query("pleased", limit=2)
        assert page.total_count == 5 and len(page.hits) == 2 and page.next_page_token
        assert "**pleased**" in page.hits[0].snippet.lower()
        assert sorted(hit.id for hit in client.query_all("pleased", limit=2)) == sorted(r.id for r in stored)
        newest = client.query(order="newest", kinds=["PRESS_RELEASE"])
        dates = [hit.document_date for hit in newest.hits]
        assert dates == sorted(dates, reverse=True) and len(dates) == 5

        got = client.get(stored[0].id, include_raw=True)
        assert got.raw == documents[0][1] and got.id == stored[0].id
        assert client.get(stored[0].sha256).id == stored[0].id

        stats = client.stats()
        assert stats.store.backend == "sqlite" and stats.store.documents == 5
        [version] = stats.store.by_parser_version
        assert version.key.startswith("filings-parser/") and version.count == 5

        # Every filing is up to date with the server's parser: nothing to re-parse.
        reparsed = client.reparse(limit=2)
        assert (reparsed.reparsed, reparsed.remaining, reparsed.next_after_id) == (0, 0, "")
        assert reparsed.parser_version == version.key

        assert client.delete(stored[0].id).deleted
        assert not client.delete(stored[0].id).deleted
        with pytest.raises(RPCError) as missing:
            client.get(stored[0].id)
        assert missing.value.code == StatusCode.NOT_FOUND
        assert client.stats().store.documents == 4


def test_a_total_past_the_servers_count_limit_is_a_lower_bound(start_server) -> None:
    server = start_server("--count-limit", "2")
    with Client(server.addr) as client:
        client.store([release(n) for n in range(4)])
        bounded = client.query("pleased", order="newest", limit=1)
        assert (bounded.total_count, bounded.total_count_is_lower_bound) == (2, True)
        exact = client.query("pleased", order="newest", limit=1, exact_total=True)
        assert (exact.total_count, exact.total_count_is_lower_bound) == (4, False)
        assert len(list(client.query_all("pleased", order="newest", limit=1))) == 4, "paging is exact either way"
        ranked = client.query("pleased", limit=1)  # scores, and so counts, every match
        assert (ranked.total_count, ranked.total_count_is_lower_bound) == (4, False)


def test_every_method_async(server: Server) -> None:
    async def main() -> None:
        async with AsyncClient(server.addr) as client:
            assert (await client.health()).status == messages.SERVING
            assert (await client.parse(release(2))).filing.documents[0].kind == messages.PRESS_RELEASE
            stored = (await client.store([release(n) for n in range(3)])).results
            assert all(r.created for r in stored)
            assert sorted([hit.id async for hit in client.query_all("pleased", limit=1)]) == sorted(
                r.id for r in stored
            )
            assert (await client.get(stored[1].id)).id == stored[1].id
            assert (await client.delete(stored[1].id)).deleted
            assert (await client.stats()).store.documents == 2
            assert (await client.reparse()).reparsed == 0
            with pytest.raises(RPCError) as missing:
                await client.get(stored[1].id)
            assert missing.value.code == StatusCode.NOT_FOUND

    asyncio.run(main())


@pytest.mark.parametrize(
    "call, code, message",
    [
        (lambda c: c.get("0" * 20), StatusCode.NOT_FOUND, ""),
        (lambda c: c.query('"unclosed'), StatusCode.INVALID_ARGUMENT, "search text:"),
        (lambda c: c.query(cik="abc"), StatusCode.INVALID_ARGUMENT, "cik"),
        (lambda c: c.query(date_from="2024-02-01", date_to="2024-01-01"), StatusCode.INVALID_ARGUMENT, ""),
        (lambda c: c.query("x", limit=1001), StatusCode.INVALID_ARGUMENT, ""),
        (lambda c: c.query(order="relevance"), StatusCode.INVALID_ARGUMENT, ""),
        (lambda c: c.store([]), StatusCode.INVALID_ARGUMENT, ""),
        (lambda c: c.query("x", page_token="forged"), StatusCode.INVALID_ARGUMENT, ""),
        (lambda c: c.health("other.Service"), StatusCode.NOT_FOUND, ""),
        (lambda c: c.reparse(older_than="filings-parser/99.0"), StatusCode.FAILED_PRECONDITION, "newer than"),
        (lambda c: c.reparse(limit=1001), StatusCode.INVALID_ARGUMENT, "at most 1000"),
    ],
)
def test_errors_carry_the_servers_status_and_the_connection_stays_usable(server, call, code, message) -> None:
    with Client(server.addr) as client:
        with pytest.raises(RPCError) as failed:
            call(client)
        assert failed.value.code == code
        assert message in failed.value.message
        assert client.health().status == messages.SERVING
        assert client.stats().server.total_connections == 1


def test_a_document_that_cannot_be_stored_fails_alone(server: Server) -> None:
    with Client(server.addr) as client:
        results = client.store([("empty.txt", b""), ("binary.bin", bytes(range(256)) * 64), ("ok.txt", release(3))])
        codes = [r.error_code for r in results.results]
        assert codes[:2] == [StatusCode.INVALID_ARGUMENT, StatusCode.INVALID_ARGUMENT] and codes[2] == 0
        assert all(r.error_message for r in results.results[:2]) and results.results[2].created


def test_a_string_with_a_nul_is_refused_before_anything_is_sent(server: Server) -> None:
    with Client(server.addr) as client:
        with pytest.raises(RPCError) as refused:
            client.store([("bad\x00name.txt", release(4))])
        assert refused.value.code == StatusCode.INVALID_ARGUMENT
        assert "documents[0].filename" in refused.value.message
        assert calls(client, "Store") == 0


def test_unknown_methods_and_a_store_less_server(start_server) -> None:
    server = start_server("--store", "none")
    with Client(server.addr) as client:
        with pytest.raises(RPCError) as unknown:
            client.call("Nope", messages.HealthRequest())
        assert unknown.value.code == StatusCode.UNIMPLEMENTED
        with pytest.raises(RPCError) as storeless:
            client.store([release(1)])
        assert storeless.value.code == StatusCode.UNIMPLEMENTED


def test_the_bearer_token(start_server) -> None:
    server = start_server("--auth-token", "s3cret")
    with Client(server.addr) as anonymous:
        assert anonymous.health().status == messages.SERVING, "Health needs no token"
        with pytest.raises(RPCError) as refused:
            anonymous.stats()
        assert refused.value.code == StatusCode.UNAUTHENTICATED
    with Client(server.addr, token="wrong") as wrong:
        with pytest.raises(RPCError) as refused:
            wrong.stats()
        assert refused.value.code == StatusCode.UNAUTHENTICATED
    with Client(server.addr, token="s3cret") as client:
        assert client.stats().store.documents == 0


def test_the_request_id_comes_back_in_trailing_metadata(server: Server) -> None:
    with Client(server.addr) as client:
        with pytest.raises(RPCError) as failed:
            client.get("0" * 20, metadata=[("x-request-id", "py-42")])
        assert ("x-request-id", "py-42") in failed.value.metadata


def test_no_server_is_unavailable_after_the_retries() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Client(f"127.0.0.1:{port}") as client:
        started = time.monotonic()
        with pytest.raises(RPCError) as failed:
            client.health()
        assert failed.value.code == StatusCode.UNAVAILABLE and "cannot connect" in failed.value.message
        assert time.monotonic() - started < 5


def test_two_hundred_concurrent_calls_share_one_connection(server: Server) -> None:
    with Client(server.addr) as client:
        client.store([release(n) for n in range(20)])
        results: list = []
        barrier = threading.Barrier(200)

        def work(n: int) -> None:
            barrier.wait()
            if n % 2:
                results.append(client.query("pleased", limit=5).total_count)
            else:
                results.append(client.get(client.query(symbol="", limit=1).hits[0].id).id != "")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 200 and all(r == 20 or r is True for r in results)
        assert client.stats().server.total_connections == 1

    async def many() -> None:
        async with AsyncClient(server.addr) as client:
            answers = await asyncio.gather(*(client.query("pleased", limit=5) for _ in range(200)))
            assert [a.total_count for a in answers] == [20] * 200
            assert (await client.stats()).server.total_connections == 2  # the threads' client's, and this one

    asyncio.run(many())


def test_a_deadline_stops_the_work_on_the_server(server: Server) -> None:
    with Client(server.addr) as client:
        started = time.monotonic()
        with pytest.raises(RPCError) as late:
            client.store(big_store(), timeout=0.03, retry=NO_RETRY)
        assert late.value.code == StatusCode.DEADLINE_EXCEEDED
        assert time.monotonic() - started < 1
        stats = wait_for_handlers(client)
        assert stats.server.calls_in_flight == 1, "the Store's handler returned"
        assert stats.store.documents == 0, "a Store stopped before its commit writes nothing"
        time.sleep(1)
        assert client.stats().store.documents == 0, "and nothing later either"
        assert all(r.created for r in client.store(big_store()).results), "sending it again stores it"


def test_cancelling_the_task_stops_the_work_on_the_server(server: Server) -> None:
    async def main() -> None:
        async with AsyncClient(server.addr, retry=NO_RETRY) as client:
            await client.health()
            task = asyncio.ensure_future(client.store(big_store()))
            await asyncio.sleep(0.03)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    with Client(server.addr) as client:
        stats = wait_for_handlers(client)
        assert stats.server.calls_in_flight == 1 and stats.store.documents == 0
        time.sleep(1)
        assert client.stats().store.documents == 0


def test_cancelled_parses_stop_spending_cpu(start_server) -> None:
    server = start_server("--store", "none")
    document = long_release(5, 2048)  # half a second of parsing in a release build

    async def main() -> None:
        async with AsyncClient(server.addr, retry=NO_RETRY) as client:
            await client.health()
            before = server.cpu_seconds()
            await client.parse(document)
            full = server.cpu_seconds() - before
            before = server.cpu_seconds()
            for _ in range(3):
                task = asyncio.ensure_future(client.parse(document))
                await asyncio.sleep(0.02)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            while (await client.stats()).server.calls_in_flight > 1:
                await asyncio.sleep(0.02)
            cancelled = server.cpu_seconds() - before
            assert cancelled < full, f"3 cancelled parses used {cancelled:.2f} s of CPU, one whole one {full:.2f}"

    asyncio.run(main())


def test_a_call_in_flight_at_shutdown_is_answered_and_the_next_finds_the_server_gone(start_server) -> None:
    server = start_server()
    with Client(server.addr, retry=NO_RETRY) as client:
        client.health()
        outcome: dict = {}

        def store() -> None:
            try:
                outcome["results"] = client.store(big_store()).results
            except RPCError as error:
                outcome["error"] = error

        thread = threading.Thread(target=store)
        thread.start()
        end = time.monotonic() + 10
        while client.stats().server.calls_in_flight < 2:  # the Store and this Stats
            assert time.monotonic() < end, "the Store never started"
            time.sleep(0.005)
        assert server.terminate() == 0
        thread.join()
        assert "error" not in outcome, outcome.get("error")
        assert all(r.created for r in outcome["results"]), "the grace period let the Store finish"
        with pytest.raises(RPCError) as gone:
            client.health()
        assert gone.value.code == StatusCode.UNAVAILABLE


def test_round_robin_over_replicas_and_reconnect(start_server) -> None:
    first, second = start_server(), start_server()
    with Client([first.addr, second.addr]) as client:
        for n in range(4):
            client.store([release(n)])
        counts = []
        for server in (first, second):
            with Client(server.addr) as direct:
                counts.append(direct.stats().store.documents)
        assert counts == [2, 2], "calls alternate between the endpoints"
        first.terminate()
        third = [client.health().status for _ in range(4)]
        assert third == [messages.SERVING] * 4, "a replica gone: calls retry on the other"


def test_store_paths_reports_every_file(server: Server, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    for n in range(5):
        (tmp_path / "a" / "b" / f"r{n}.txt").write_bytes(release(n))
    (tmp_path / "a" / "empty.txt").write_bytes(b"")
    (tmp_path / "a" / "image.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "one.txt").write_bytes(release(9))
    with Client(server.addr) as client:
        results = list(
            client.store_paths([tmp_path / "a", tmp_path / "one.txt", tmp_path / "missing.txt"], batch_documents=2)
        )
        by_name = {os.path.relpath(r.path, tmp_path): r for r in results}
        assert len(results) == 9
        assert all(by_name[f"a/b/r{n}.txt"].ok and by_name[f"a/b/r{n}.txt"].created for n in range(5))
        assert by_name["one.txt"].ok
        assert by_name["a/empty.txt"].error_code == StatusCode.INVALID_ARGUMENT
        assert by_name["a/image.bin"].error_code == StatusCode.INVALID_ARGUMENT
        assert by_name["missing.txt"].error_code == StatusCode.NOT_FOUND
        assert client.stats().store.documents == 6
        again = list(client.store_paths([tmp_path / "a" / "b"]))
        assert [r.created for r in again] == [False] * 5


def test_python_and_the_swift_cli_agree(server: Server) -> None:
    with Client(server.addr) as client:
        stored = client.store([("agree.txt", release(7))]).results[0]
        mine = to_dict(client.get(stored.id))
    cli = subprocess.run(
        [str(binary("filings")), "get", "--json", "--addr", server.addr, stored.id],
        capture_output=True,
        check=True,
        text=True,
    )
    theirs = json.loads(cli.stdout)
    assert theirs == mine
    assert mine["filing"]["documents"][0]["kind"] == "PRESS_RELEASE"


def test_hits_as_a_data_frame(server: Server) -> None:
    pandas = pytest.importorskip("pandas")
    with Client(server.addr) as client:
        client.store([release(n) for n in range(3)])
        frame = to_dataframe(client.query_all("pleased"))
    assert list(frame.columns)[:4] == ["id", "sha256", "form_type", "kind"]
    assert len(frame) == 3 and set(frame["kind"]) == {"PRESS_RELEASE"}
    assert pandas.api.types.is_datetime64_any_dtype(frame["document_date"])
