"""What uploads and downloads share: the API, the storage client, the bars, and Ctrl-C."""

import threading
from dataclasses import dataclass, field

import httpx

from app.cli.api import Api
from app.cli.progress import Bars


@dataclass
class Transfer:
    api: Api
    s3: httpx.Client  # presigned URLs only: never the API's token
    bars: Bars
    parallel: int = 8
    stop: threading.Event = field(default_factory=threading.Event)

    def interrupt(self) -> None:
        """Ctrl-C: nothing new starts, and what is in flight fails at once."""
        self.stop.set()
        self.s3.close()
