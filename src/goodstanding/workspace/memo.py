"""Results of read-only use cases kept while the account's data stays the same.

The web app asks for the same health document many times a minute (dashboard, drill-downs, the
API); computing it reads every Parquet file of the account. A use case decorated with
:func:`remembered` is computed once per (account, data version, arguments): the data version is
the account's id and the id of its latest import, so an import or a removal, from this process
or any other, makes the next call compute afresh. Concurrent callers of the same key wait for
the one computation. Results are kept pickled and every caller gets its own copy, so changing
it changes nothing kept.
"""

from __future__ import annotations

import functools
import gc
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from goodstanding.store.versions import account_version

if TYPE_CHECKING:
    from goodstanding.workspace import Workspace

__all__ = ["ResultCache", "paused_gc", "remembered"]

P = ParamSpec("P")
R = TypeVar("R")
_LIMIT = 256


class ResultCache:
    """A bounded, thread-safe map of computed results, one computation per key at a time."""

    def __init__(self, limit: int = _LIMIT) -> None:
        self.limit = limit
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], R]) -> R:
        """The value kept under ``key``, computed by ``compute`` when absent."""
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                found: R = self._values[key]
                return found
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    kept: R = self._values[key]
                    return kept
            value = compute()
            with self._guard:
                self._values[key] = value
                while len(self._values) > self.limit:
                    self._values.popitem(last=False)
                self._locks.pop(key, None)
            return value

    def clear(self) -> None:
        """Forget everything."""
        with self._guard:
            self._values.clear()


class _GcPause:
    """Counts the computations running with the cyclic garbage collector held off."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.resume = False


_GC = _GcPause()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while a computation runs.

    A health computation builds tens of thousands of short-lived objects (ibis expression nodes,
    fact rows, JSON dicts) on top of the hundreds of thousands ibis, SQLAlchemy and pandas leave
    after their import; each full collection walks all of them and cost about a third of a
    second per health document. Reference counting still frees everything at once; the few
    cycles left wait for the next collection after the computation. Nested and concurrent
    pauses (web threads) resume the collector when the last one ends, and only if it ran before.
    """
    with _GC.lock:
        if _GC.running == 0:
            _GC.resume = gc.isenabled()
            gc.disable()
        _GC.running += 1
    try:
        yield
    finally:
        with _GC.lock:
            _GC.running -= 1
            if _GC.running == 0 and _GC.resume:
                gc.enable()


def data_version(workspace: Workspace, account: str) -> tuple[int, int]:
    """(account id, id of its latest import): changes whenever its data changes.

    Raises:
        NotFoundError: there is no such account.
    """
    with workspace.database.session() as session:
        version = account_version(session, account)
    if version is None:
        workspace.get_account(account)  # raises the usual NotFoundError
        raise AssertionError("unreachable: the account exists")
    return version


def remembered(
    kind: str,
) -> Callable[
    [Callable[Concatenate[Workspace, str, P], R]], Callable[Concatenate[Workspace, str, P], R]
]:
    """Keep the results of a read-only use case ``method(self, account, **options)``."""

    def decorate(
        method: Callable[Concatenate[Workspace, str, P], R],
    ) -> Callable[Concatenate[Workspace, str, P], R]:
        @functools.wraps(method)
        def wrapper(self: Workspace, *args: Any, **kwargs: Any) -> Any:
            if not self.remember:
                with paused_gc():
                    return method(self, *args, **kwargs)
            # The account comes first, by position or by name.
            account: str = args[0] if args else kwargs["account"]
            rest = args[1:]
            options = {k: v for k, v in kwargs.items() if k != "account"}
            cache: ResultCache = self.__dict__.setdefault("_results", ResultCache())
            key = (
                kind,
                account,
                data_version(self, account),
                rest,
                tuple(sorted(options.items())),
                self.settings.backend,
            )
            fresh: list[Any] = []

            def compute() -> bytes:
                with paused_gc():
                    value = method(self, *args, **kwargs)
                    fresh.append(value)
                    return pickle.dumps(value, protocol=5)

            # Kept pickled: unpickling is a faster private copy than deepcopy. The caller that
            # computed the value gets it as it is: nothing kept shares it.
            blob = cache.get(key, compute)
            if fresh:
                value = fresh[0]
            else:
                with paused_gc():
                    value = pickle.loads(blob)
            if isinstance(value, dict) and "generated_at" in value:
                value["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            return value

        return wrapper  # type: ignore[return-value]

    return decorate
