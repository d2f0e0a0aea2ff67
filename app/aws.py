"""boto3 clients built lazily, one per service per process, from one shared botocore session.

Client creation is the largest cold-start cost after imports, so a request builds only the
clients it touches, and every later request in the process reuses them.
"""

import os
import threading
from functools import cache
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, instance_cache

from app.settings import get_settings

_lock = threading.Lock()


class _DirectLoader(Loader):
    """botocore's Loader, without listing every service to load one.

    Before loading a model, botocore checks the name against the list of all its services,
    which reads ~420 directories: ~25 ms of each cold client creation here (boto/botocore
    PR #3687 removes it upstream). Here a model is loaded straight away, and only a name that
    cannot be found goes through botocore's own path, for its UnknownServiceError.
    """

    @instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        try:
            version = api_version or self.determine_latest_version(service_name, type_name)
            model = self.load_data(os.path.join(service_name, version, type_name))
        except DataNotFoundError:
            return super().load_service_model(service_name, type_name, api_version)
        extras = self._find_extras(service_name, type_name, version)
        self._extras_processor.process(model, extras)
        return model


@cache
def _session() -> boto3.session.Session:
    core = botocore.session.get_session()
    data_path = core.get_config_variable("data_path")  # AWS_DATA_PATH, as botocore reads it
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in (data_path or "").split(os.pathsep)]
    core.register_component(
        "data_loader", _DirectLoader(extra_search_paths=[p for p in paths if p])
    )
    return boto3.session.Session(botocore_session=core)


@cache
def client(service: str) -> Any:
    """The process-wide client for `service`, honouring AWS_ENDPOINT_URL."""
    settings = get_settings()
    options: dict[str, Any] = {"retries": {"max_attempts": 3, "mode": "standard"}}
    endpoint = settings.aws_endpoint_url
    if service == "s3":
        # Presigned URLs must name the regional endpoint with SigV4 so they work in any region.
        options["signature_version"] = "s3v4"
        options["s3"] = {"addressing_style": "path" if endpoint else "virtual"}
        endpoint = endpoint or f"https://s3.{settings.aws_region}.amazonaws.com"
    with _lock:  # botocore sessions are not safe to create clients from concurrently
        return _session().client(
            service,
            region_name=settings.aws_region,
            endpoint_url=endpoint,
            config=Config(**options),
        )


def reset() -> None:
    """Forget every client (tests and the local bootstrap point them at a new endpoint)."""
    client.cache_clear()
