"""Shared fixtures. No test may reach the network: any non-loopback connection fails."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# The development benchmark lives beside the checkout (../shared/bench/dev); CI clones main
# with shared/ beside it, so the same relative path works there.
BENCH_DEV = ROOT.parent / "shared" / "bench" / "dev"


def _guarded_connect(original):
    def connect(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")
                                      or self.family == getattr(socket, "AF_UNIX", None)):
            return original(self, address, *args, **kwargs)
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return connect


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect(socket.socket.connect_ex))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_004() -> Path:
    return next(SEEDS.glob("004_*.txt"))


@pytest.fixture(scope="session")
def seed_000() -> Path:
    return next(SEEDS.glob("000_*.txt"))


@pytest.fixture(scope="session")
def bench_dev() -> Path:
    if not (BENCH_DEV / "gold.jsonl").exists():
        pytest.skip(f"development benchmark not found at {BENCH_DEV}")
    return BENCH_DEV


@pytest.fixture(scope="session")
def bench_gold(bench_dev) -> list[dict]:
    import json

    with open(bench_dev / "gold.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
