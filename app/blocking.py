"""Run blocking AWS calls from async routes without starving the event loop under uvicorn.

On Lambda one invocation owns the process, so a thread hop only adds latency (it is the
largest per-request cost of a sync route through Mangum); under uvicorn many requests share
the loop, so blocking calls go to the thread pool. Anything answered through the Mangum
handler (`InlineBlocking`) is one request per event loop, so it runs inline too.
"""

import os
from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
T = TypeVar("T")

_ON_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in os.environ
_inline: ContextVar[bool] = ContextVar("sharebox_inline_blocking", default=_ON_LAMBDA)


class InlineBlocking:
    """Within this block (one Mangum invocation), blocking calls run on the caller's thread.

    A class rather than a @contextmanager: it runs on every invocation, and this costs ~0.4 µs
    to the generator's ~2 µs.
    """

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _inline.set(True)

    def __exit__(self, *_: object) -> None:
        _inline.reset(self._token)


async def run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    if _inline.get():
        return func(*args, **kwargs)
    return await run_in_threadpool(partial(func, *args, **kwargs))
