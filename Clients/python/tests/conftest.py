"""A real filings-server on a free loopback port, started per test from the binaries `swift build` made."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[3]


def binary(name: str) -> Path:
    """The package's `name` executable: $FILINGS_BIN_DIR, else the newest of the debug and release builds."""
    directory = os.environ.get("FILINGS_BIN_DIR")
    candidates = [Path(directory) / name] if directory else [ROOT / ".build" / c / name for c in ("debug", "release")]
    found = [path for path in candidates if path.is_file()]
    if not found:
        message = f"no {name} binary in {', '.join(map(str, candidates))}: run `swift build` at the repository's root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return max(found, key=lambda path: path.stat().st_mtime)


class Server:
    """A filings-server process; `addr` is where it listens."""

    def __init__(self, args: List[str], directory: Path) -> None:
        self.directory = directory
        self.log = directory / "server.log"
        self._log_file = open(self.log, "wb")
        self.process = subprocess.Popen(
            [str(binary("filings-server")), "--listen", "127.0.0.1:0", *args],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        end = time.monotonic() + 30
        self.addr: Optional[str] = None
        while self.addr is None:
            match = re.search(rb"listening on (\S+)", self.log.read_bytes())
            if match:
                self.addr = match.group(1).decode()
            elif self.process.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"filings-server did not start: {self.log.read_text(errors='replace')}")
            else:
                time.sleep(0.02)

    def terminate(self) -> int:
        """SIGTERM, then the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._log_file.close()

    def cpu_seconds(self) -> float:
        """User and system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def start_server() -> Iterator:
    """Starts servers with the given arguments (a SQLite store in a fresh directory unless `--store` is given)."""
    servers: List[Server] = []
    directories: List[str] = []

    def start(*args: str) -> Server:
        directory = tempfile.mkdtemp(prefix="filings-py-")
        directories.append(directory)
        arguments = list(args)
        if "--store" not in arguments:
            arguments += ["--store", f"sqlite:{directory}/filings.sqlite"]
        server = Server(arguments, Path(directory))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.terminate()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def server(start_server) -> Server:
    return start_server()


MONTHS = "January February March April May June July August September October November December".split()
FIRST = "Jane Ken Maria Omar Priya Tom Wei Ana Lars Ingrid".split()
LAST = "Roe Doe Garcia Haddad Patel Reddin Chen Lopez Berg Moreau".split()
WORDS = "Apex Summit Harbor Cedar Meridian Pinnacle Granite Horizon Keystone Zenith".split()


def release(n: int, topic: str = "the company opened a new plant.") -> bytes:
    """A distinct, realistic press release: its company, ticker, date and speaker follow from `n`."""
    company = f"{WORDS[n % 10]} {WORDS[(n // 10) % 10]} Industries, Inc."
    symbol = f"{WORDS[n % 10][:2]}{WORDS[(n // 10) % 10][:2]}".upper() + chr(65 + n % 26)
    person = f"{FIRST[n % 10]} {LAST[(n // 3) % 10]}"
    year, month, day = 2000 + n % 25, 1 + n % 12, 1 + n % 28
    text = f"""FOR IMMEDIATE RELEASE

{company} Reports Results for Quarter {n}

SPRINGFIELD, Ill., {MONTHS[month - 1]} {day}, {year} -- {company} (NASDAQ: {symbol}) today announced that
{topic} Revenue for the period was ${n}.5 million, an increase of 14% over the same period last year.

"We are pleased with what our people achieved," said {person}, chief executive officer of {company}.

Contact: Investor Relations
         (555) 123-4567
"""
    return text.encode()


def long_release(n: int, kilobytes: int) -> bytes:
    """A release of about `kilobytes` KB: numbered paragraphs after the release, so parsing takes real time."""
    out = bytearray(release(n))
    paragraph = 0
    while len(out) < kilobytes * 1024:
        paragraph += 1
        out += (
            f"\nIn quarter {paragraph} of year {n} the company reported revenue of ${paragraph}.5 million, up 12% "
            f'from a year earlier. "We continue to invest in our people," said Jane Roe on March 3, 2024. The '
            f"company expects growth of 8% in its markets (see www.example.com).\n"
        ).encode()
    return bytes(out)
