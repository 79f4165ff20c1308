#!/usr/bin/env python3
"""Health calls/s from Python on one connection with N calls in flight, with the blocking client (N threads)
and with the asyncio client (N tasks).

    python3 benchmarks/health.py --addr 127.0.0.1:7878 --in-flight 64 --seconds 10

dev/bench-python.sh starts a release server and runs this.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
from typing import List

from filings_client import AsyncClient, Client


def report(name: str, latencies: List[float], seconds: float, connections: int) -> None:
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(
        f"{name:8} {len(latencies) / seconds:9.0f} calls/s   p50 {p(0.5):6.2f} ms   p99 {p(0.99):6.2f} ms   "
        f"connections {connections}"
    )


def blocking(addr: str, in_flight: int, seconds: float) -> None:
    with Client(addr) as client:
        client.health()
        before = client.stats().server.total_connections
        latencies: List[float] = []
        end = time.monotonic() + seconds

        def work() -> None:
            mine = []
            while time.monotonic() < end:
                started = time.perf_counter()
                client.health()
                mine.append(time.perf_counter() - started)
            latencies.extend(mine)

        threads = [threading.Thread(target=work) for _ in range(in_flight)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        report("blocking", latencies, elapsed, client.stats().server.total_connections - before + 1)


async def concurrent(addr: str, in_flight: int, seconds: float) -> None:
    async with AsyncClient(addr) as client:
        await client.health()
        before = (await client.stats()).server.total_connections
        latencies: List[float] = []
        end = time.monotonic() + seconds

        async def work() -> None:
            while time.monotonic() < end:
                started = time.perf_counter()
                await client.health()
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(work() for _ in range(in_flight)))
        elapsed = time.monotonic() - started
        report("asyncio", latencies, elapsed, (await client.stats()).server.total_connections - before + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", default="127.0.0.1:7878")
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    print(f"Health, 1 connection x {args.in_flight} in flight, {args.seconds:g} s each")
    blocking(args.addr, args.in_flight, args.seconds)
    asyncio.run(concurrent(args.addr, args.in_flight, args.seconds))


if __name__ == "__main__":
    main()
