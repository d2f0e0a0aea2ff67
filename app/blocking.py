"""Run blocking AWS calls from async routes without starving the event loop under uvicorn.

On Lambda one invocation owns the process, so a thread hop only adds latency (it is the
largest per-request cost of a sync route through Mangum); under uvicorn many requests share
the loop, so blocking calls go to the thread pool.
"""

import os
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
T = TypeVar("T")

_ON_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in os.environ


async def run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    if _ON_LAMBDA:
        return func(*args, **kwargs)
    return await run_in_threadpool(partial(func, *args, **kwargs))
