"""Where work runs does not change what is written: local, process pool, a real Dask cluster
(a `dask scheduler` and two `dask worker` processes on 127.0.0.1, started and torn down
here), and a run killed with SIGKILL then resumed.

The input is small and real: the Raqqa piece of seeds/004 published as two files (the
English headline line 549 and paragraphs 555-563; the Arabic headline 567 and paragraphs
575-583), plus English-only pages cut from seeds/000, so the cross-file search, the run
store and the embedding stage all take part.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.executor import (DaskExecutor, LocalExecutor, ProcessExecutor, make_executor)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _square(x):
    return x * x


def test_executors_keep_shard_order():
    with LocalExecutor(1) as ex:
        assert list(ex.map(_square, range(7))) == [x * x for x in range(7)]
    with ProcessExecutor(2) as ex:
        assert list(ex.map(_square, iter(range(9)))) == [x * x for x in range(9)]


def test_embedded_dask_cluster_keeps_shard_order():
    with make_executor("dask", 1) as ex:
        assert ex.name == "dask" and ex.workers == 1
        assert list(ex.map(_square, range(5))) == [x * x for x in range(5)]


def test_make_executor_choices():
    from corpus.errors import CorpusError

    assert make_executor("auto", 1).name == "local"
    with pytest.raises(CorpusError):
        make_executor("local", 2, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(CorpusError):
        make_executor("threads", 2)


@pytest.fixture(scope="module")
def small_crawl(tmp_path_factory, seed_004, seed_000) -> Path:
    lines = seed_004.read_text(encoding="utf-8").split("\n")
    root = tmp_path_factory.mktemp("crawl")
    (root / "site" / "ar").mkdir(parents=True)
    (root / "site" / "en").mkdir(parents=True)
    (root / "site" / "ar" / "raqqa.txt").write_text(
        "\n\n".join([lines[566]] + [lines[n - 1] for n in range(575, 584, 2)]) + "\n",
        encoding="utf-8")
    (root / "site" / "en" / "story-1.txt").write_text(
        "\n\n".join([lines[548]] + [lines[n - 1] for n in range(555, 564, 2)]) + "\n",
        encoding="utf-8")
    other = [ln for ln in seed_000.read_text(encoding="utf-8").split("\n")
             if len(ln) > 200 and not any("\u0600" <= c <= "\u06ff" for c in ln)]
    for k in range(3):
        (root / "site" / "en" / f"post-{k}.txt").write_text(
            "\n\n".join(other[2 * k:2 * k + 2]) + "\n", encoding="utf-8")
    return root


def _build(crawl: Path, out: Path, cache: Path, **where) -> bytes:
    from corpus.embed import get_embedder
    from corpus.pipeline import build_corpus

    embedder = get_embedder("e5-small", cache_dir=cache)
    result = build_corpus([crawl], out, mt="off", embedder=embedder, **where)
    assert result.stats.aligned_rows >= 4  # the Raqqa paragraphs, found across files
    return out.read_bytes() + out.with_name(out.stem + ".untranslated.tsv").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def dask_cluster():
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.slow
def test_same_corpus_locally_in_processes_and_on_a_dask_cluster(small_crawl, tmp_path,
                                                                 dask_cluster):
    one = _build(small_crawl, tmp_path / "one.tsv", tmp_path / "c1", jobs=1)
    two = _build(small_crawl, tmp_path / "two.tsv", tmp_path / "c2", jobs=2)
    dask = _build(small_crawl, tmp_path / "dask.tsv", tmp_path / "c3", scheduler=dask_cluster)
    assert one == two == dask
    assert b"story-1.txt" in one  # the English came from the other file


_KILLED_RUN = """
import sys
from corpus.embed import get_embedder
from corpus.pipeline import build_corpus
build_corpus([sys.argv[1]], sys.argv[2], mt="off", jobs=1,
             embedder=get_embedder("e5-small", cache_dir=sys.argv[3]))
"""


@pytest.mark.slow
def test_resume_after_sigkill_writes_the_same_corpus(small_crawl, tmp_path):
    out = tmp_path / "killed.tsv"
    store = tmp_path / "killed.work.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(small_crawl), str(out),
                             str(tmp_path / "cache-k")], env=env)
    deadline = time.monotonic() + 300
    stored = False
    while time.monotonic() < deadline and proc.poll() is None and not stored:
        time.sleep(0.05)
        if store.exists():
            try:
                with sqlite3.connect(store) as db:
                    stored = db.execute("SELECT COUNT(*) FROM shard").fetchone()[0] > 0
            except sqlite3.Error:
                pass
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be killed")
    assert store.exists() and not out.exists()
    resumed = _build(small_crawl, out, tmp_path / "cache-k", jobs=1, resume=True)
    fresh = _build(small_crawl, tmp_path / "fresh.tsv", tmp_path / "cache-f", jobs=1)
    assert resumed == fresh
    assert not store.exists()  # removed once the corpus is written


def test_resume_refuses_a_store_of_other_inputs(tmp_path):
    from corpus.errors import CorpusError
    from corpus.store import RunStore

    RunStore(tmp_path / "s.sqlite3", "a").close()
    with pytest.raises(CorpusError):
        RunStore(tmp_path / "s.sqlite3", "b", resume=True)
    RunStore(tmp_path / "s.sqlite3", "b").close()  # without --resume: a fresh start


def test_store_gives_back_rows_in_order_across_chunks(tmp_path):
    from corpus.store import ROW_CHUNK, RunStore

    store = RunStore(tmp_path / "s.sqlite3", "a")
    store.put_rows(1, [("b", k) for k in range(ROW_CHUNK + 5)])
    store.put_rows(0, [("a", k) for k in range(3)])
    store.put_rows(2, [])
    assert list(store.rows()) == ([("a", k) for k in range(3)]
                                  + [("b", k) for k in range(ROW_CHUNK + 5)])
    store.close()


def test_dask_executor_refuses_an_unreachable_scheduler():
    from corpus.errors import CorpusError

    with pytest.raises(CorpusError):
        DaskExecutor(1, scheduler=f"tcp://127.0.0.1:{_free_port()}", timeout=2)


@pytest.mark.slow
def test_cli_options_choose_where_work_runs(small_crawl, tmp_path):
    from typer.testing import CliRunner

    from corpus.cli import app

    run = CliRunner().invoke(app, ["align", str(small_crawl), "-o", str(tmp_path / "a.tsv"),
                                   "--mt", "off", "--no-progress", "--jobs", "1",
                                   "--executor", "local", "--cache-dir", str(tmp_path / "c")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "a.tsv").exists() and not (tmp_path / "a.tsv.work.sqlite3").exists()
    bad = CliRunner().invoke(app, ["align", str(small_crawl), "-o", str(tmp_path / "b.tsv"),
                                   "--mt", "off", "--no-progress", "--scheduler",
                                   f"tcp://127.0.0.1:{_free_port()}",
                                   "--cache-dir", str(tmp_path / "c")])
    assert bad.exit_code == 2 and "Dask scheduler" in bad.output
