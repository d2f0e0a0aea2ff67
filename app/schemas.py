"""Shared schema base: camelCase JSON on the wire, snake_case in Python."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Problem(BaseModel):
    """An RFC 9457 problem document; `code` is stable for clients to branch on."""

    type: str
    title: str
    status: int
    detail: str
    code: str
