"""The job queue as a test holds it: jobs wait in Huey's in-memory storage until the test runs
them with ``run_jobs`` (Huey itself dequeues and executes them), instead of at once."""

from collections.abc import Iterator
from contextlib import contextmanager

from huey.storage import MemoryStorage

from app.queue import huey


@contextmanager
def held_jobs() -> Iterator[None]:
    storage, immediate = huey.storage, huey._immediate
    huey._immediate, huey.storage = False, MemoryStorage("hireday-test")
    try:
        yield
    finally:
        huey._immediate, huey.storage = immediate, storage


def pending() -> int:
    return huey.pending_count()


def run_jobs() -> int:
    """Run every queued job (and those they queue), as a worker would. Returns how many ran."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran
