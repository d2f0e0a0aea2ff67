"""Shared schema base: camelCase JSON on the wire, snake_case in Python."""

import unicodedata

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class CompactModel(CamelModel):
    """A small object whose absent (None) keys are left out on the wire (`{name?, email?}`)."""

    # No return annotation on purpose: with one, pydantic documents the model in the OpenAPI
    # schema as a free-form object instead of by its fields.
    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler):
        return {key: value for key, value in handler(self).items() if value is not None}


class Problem(BaseModel):
    """An RFC 9457 problem document; `code` is stable for clients to branch on."""

    type: str
    title: str
    status: int
    detail: str
    code: str


def has_control_chars(text: str, *, allowed: str = "") -> bool:
    """Whether `text` holds a control character (line and paragraph separators included)
    other than those `allowed`: what a name or a title must not carry."""
    return any(
        (unicodedata.category(c) == "Cc" or c in "\u2028\u2029") and c not in allowed for c in text
    )
