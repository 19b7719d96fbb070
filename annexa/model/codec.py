"""One codec for the model's data wherever it leaves a process: the reader pipe and the cache.

``encode`` turns a model dataclass into nested lists of plain values (str,
int, float, bool, None; dates as ISO strings; enums as their values): ready
for JSON, which the cache stores because a cache file is data and loading it
must never run code, and cheap to pickle, which the reader processes'
pipe does for every file. ``decode`` builds the dataclass back from the
types its fields declare. A field's position is its name on the wire: the
cache keys its rows on ``EXTRACTOR_VERSION`` and the dating fingerprint, both
of which change when a model's fields do, and a row that no longer fits is
decoded as nothing (``CodecError``), never as wrong data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Hashable
from enum import Enum
from typing import Any, TypeVar, cast

T = TypeVar("T")
Plain = Any  # str | int | float | bool | None | list[Plain]


class CodecError(ValueError):
    """Data that does not decode into the type asked for."""


def encode(value: object) -> Plain:
    """A model value as plain, JSON-ready data."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _encoder(cast(Hashable, type(value)))(value)


def decode(cls: type[T], data: Plain) -> T:
    """The ``cls`` that ``encode`` gave ``data`` for; CodecError if it does not fit."""
    try:
        found: T = _decoder(cast(Hashable, cls))(data)
        return found
    except CodecError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise CodecError(f"not a {cls.__name__}: {exc}") from None


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _encoder(cls: Any) -> Callable[[Any], Plain]:
    if issubclass(cls, Enum):
        return lambda value: value.value
    if issubclass(cls, dt.date):
        return lambda value: value.isoformat()
    if issubclass(cls, (tuple, list)):
        return lambda value: [item if isinstance(item, _PLAIN) else encode(item) for item in value]
    if dataclasses.is_dataclass(cls):
        names = tuple(field.name for field in dataclasses.fields(cls))

        def fields(value: Any) -> Plain:
            out = []
            for name in names:
                item = getattr(value, name)
                out.append(item if isinstance(item, _PLAIN) else encode(item))
            return out

        return fields
    raise TypeError(f"cannot encode {cls.__name__}")


def _same(data: Plain) -> Plain:
    return data


@functools.cache
def _decoder(hint: Any) -> Callable[[Plain], Any]:
    """A function that decodes plain data into the type ``hint`` names.

    Plain values (str, int, bool, literals) are taken as they are: JSON and
    pickle keep their types, and a row of the wrong shape fails on its length.
    """
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _same:
                return tuple
            return lambda data: tuple([item(value) for value in data])
        items = tuple(_decoder(arg) for arg in args)
        return lambda data: tuple([f(v) for f, v in zip(items, data, strict=True)])
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if hint is dt.date:
        return dt.date.fromisoformat
    if origin is typing.Literal or hint in (str, int, float, bool) or hint is typing.Any:
        return _same
    raise TypeError(f"no decoder for {hint!r}")


def _dataclass_decoder(cls: type) -> Callable[[Plain], Any]:
    hints = typing.get_type_hints(cls)
    fields = [field for field in dataclasses.fields(cls) if field.init]
    decoders = tuple(_decoder(hints[field.name]) for field in fields)
    count = len(decoders)
    if all(f is _same for f in decoders):

        def plain(data: Plain) -> Any:
            if len(data) != count:
                raise CodecError(f"not a {cls.__name__}: {count} values expected")
            return cls(*data)

        return plain

    def build(data: Plain) -> Any:
        if len(data) != count:
            raise CodecError(f"not a {cls.__name__}: {count} values expected")
        return cls(*[f(value) for f, value in zip(decoders, data, strict=True)])

    return build


def _union_decoder(args: tuple[Any, ...]) -> Callable[[Plain], Any]:
    others = [arg for arg in args if arg is not type(None)]
    if len(others) != 1:
        raise TypeError(f"no decoder for a union of {others!r}")
    inner = _decoder(others[0])
    return lambda data: None if data is None else inner(data)
