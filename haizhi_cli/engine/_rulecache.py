"""A cache of the packaged rule rounds, so that every `haizhi check` does not read and validate them again.

The first run that reads a round of the rules inside the package writes the validated rules, as JSON, to
the user's cache folder: `$XDG_CACHE_HOME/haizhi` (else `~/.cache/haizhi`), or `%LOCALAPPDATA%\\haizhi\\Cache`
on Windows. Later runs rebuild the very same objects from it without parsing YAML or validating again.

The cache is keyed by content: a hash of the round's rule files, of every module of the stages that read
and validate them (haizhi_cli/engine and haizhi_cli/applicant), and of the versions of haizhi, Python,
pydantic and PyYAML: any change to one of them means the rule files are read afresh and the cache rewritten.
A cache file that is missing, unreadable, corrupt or stale is
ignored (and rewritten when possible); a cache folder that cannot be created or written to is tolerated.
The cache never changes a result and never causes an error. Rule folders given with `--rules` (or
`HAIZHI_RULES`) are always read afresh and never cached.

Set the environment variable ``HAIZHI_NO_CACHE=1`` to neither read nor write the cache.

The file holds only plain JSON; values that JSON cannot hold (dates, enum members, validated models) are
written as tagged objects and rebuilt only as the classes named in the `Codec` that reads them. Nothing is
unpickled or evaluated. A cache file is trusted as the user's own, like the rest of their cache folder: what
it holds is not validated again.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from haizhi_cli.outputs import cache_dir, read_cached, write_cached

CACHE_FORMAT = 2
"""Increase it whenever the layout of the cache file changes (2: a model held in several places is written once)."""

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""A file larger than this is not hashed: the rule loader refuses it anyway (loading.MAX_FILE_BYTES)."""


class Uncacheable(Exception):
    """A value the cache cannot hold faithfully; the round is then simply not cached."""


def fingerprint(files: Iterable[Path], versions: Iterable[str]) -> str | None:
    """A hash of the files' names and bytes and of the version strings; None if a file cannot be read."""
    digest = hashlib.sha256(f"haizhi rule cache {CACHE_FORMAT}\0".encode())
    for version in versions:
        digest.update(version.encode("utf-8", "surrogatepass") + b"\0")
    try:
        for path in files:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                return None
            data = path.read_bytes()
            digest.update(f"{path.name}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
            digest.update(data)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def runtime_versions() -> list[str]:
    """The versions a cached round depends on besides its files and haizhi's own code."""
    import pydantic
    import pydantic_core
    import yaml

    from haizhi_cli import __version__

    return [__version__, sys.version, pydantic.VERSION, pydantic_core.__version__, yaml.__version__]


def read(name: str, key: str, codec: Codec) -> Any | None:
    """The payload stored under `name` if it was written for `key`; None for anything else."""
    data = read_cached(name)
    if data is None:
        return None
    try:
        stored = json.loads(data, object_hook=codec.decoder())
    except Exception:  # not JSON, or not what this code writes: read the rules afresh
        return None
    if not isinstance(stored, dict) or stored.get("format") != CACHE_FORMAT or stored.get("key") != key:
        return None
    return stored.get("payload")


def write(name: str, key: str, payload: Any, codec: Codec) -> None:
    """Store the payload under `name` for `key`, atomically; any failure (a payload holding a value the codec
    cannot write faithfully, a folder that cannot be made or written to) is silently given up."""
    if cache_dir() is None:
        return
    try:
        stored = {"format": CACHE_FORMAT, "key": key, "payload": codec.encode_all(payload)}
        data = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (Uncacheable, ValueError, RecursionError):  # a lone surrogate: UnicodeEncodeError
        return
    write_cached(name, data)


TAG = "\x00"
"""Starts the one key of a JSON object that stands for a value JSON cannot hold."""


class Codec:
    """Turns validated objects into plain JSON data and back, for the model and enum classes it is given.

    Strings, numbers, booleans, None and lists are written as they are, and so are dicts whose keys are
    strings not starting with TAG. Anything else is a JSON object with one key, TAG and its kind:
    `{"\\u0000dict": [[key, value], ...]}` (keys of any type, order kept), `{"\\u0000date": "2023-09-01"}`,
    `{"\\u0000datetime": ...}`, `{"\\u0000enum": [class, value]}` and
    `{"\\u0000model": [class, [fields set], {field: value}]}`. Models are rebuilt with `model_construct`:
    the data was validated before it was written, and the cache key guarantees the same rules and code.
    Only the classes given here are ever rebuilt.

    A model held in several places (the division data: the round's facts and every rule that reads it) is
    written once, as `{"\\u0000shared": [n, model]}`, and then as `{"\\u0000ref": n}`; read back, all of them
    are one object again, as they were.
    """

    def __init__(self, models: Iterable[type[BaseModel]], enums: Iterable[type[enum.Enum]]) -> None:
        self.models = {_name(cls): cls for cls in models}
        self.enums = {_name(cls): cls for cls in enums}
        self._repeated: set[int] = set()
        self._written: dict[int, int] = {}

    def encode_all(self, payload: Any) -> Any:
        """`encode`, writing once each model the payload holds more than once."""
        counts: dict[int, int] = {}
        _count_models(payload, counts)
        self._repeated = {identity for identity, count in counts.items() if count > 1}
        self._written = {}
        try:
            return self.encode(payload)
        finally:
            self._repeated, self._written = set(), {}

    def decoder(self) -> Callable[[dict[str, Any]], Any]:
        """An `object_hook` for one file: `decode_object`, resolving the shared models it writes."""
        shared: dict[int, Any] = {}

        def decode(data: dict[str, Any]) -> Any:
            if len(data) == 1:
                [(key, value)] = data.items()
                if key == TAG + "shared":
                    shared[value[0]] = value[1]  # decoded already: JSON objects are decoded inner ones first
                    return value[1]
                if key == TAG + "ref":
                    return shared[value]
            return self.decode_object(data)
        return decode

    def encode(self, value: Any) -> Any:
        if value is None or type(value) in (str, int, float, bool):
            return value
        if isinstance(value, enum.Enum):
            return {TAG + "enum": [self._known(self.enums, type(value)), value.value]}
        if type(value) is list:
            return [self.encode(item) for item in value]
        if type(value) is dict:
            if all(type(key) is str and not key.startswith(TAG) for key in value):
                return {key: self.encode(item) for key, item in value.items()}
            return {TAG + "dict": [[self.encode(key), self.encode(item)] for key, item in value.items()]}
        if type(value) is dt.datetime:
            return {TAG + "datetime": value.isoformat()}
        if type(value) is dt.date:
            return {TAG + "date": value.isoformat()}
        if isinstance(value, BaseModel):
            return self._encode_shared(value) if id(value) in self._repeated else self._encode_model(value)
        raise Uncacheable(type(value).__name__)

    def _encode_shared(self, model: BaseModel) -> Any:
        if id(model) in self._written:
            return {TAG + "ref": self._written[id(model)]}
        self._written[id(model)] = number = len(self._written)
        return {TAG + "shared": [number, self._encode_model(model)]}

    def _encode_model(self, model: BaseModel) -> Any:
        name = self._known(self.models, type(model))
        if model.__pydantic_extra__ or model.__pydantic_private__:
            raise Uncacheable(name)
        fields = {field: self.encode(value) for field, value in model.__dict__.items()}
        return {TAG + "model": [name, sorted(model.model_fields_set), fields]}

    def _known(self, known: dict[str, Any], cls: type) -> str:
        name = _name(cls)
        if known.get(name) is not cls:
            raise Uncacheable(name)
        return name

    def decode_object(self, data: dict[str, Any]) -> Any:
        """The `object_hook` of `json.loads`: each JSON object, inner ones first, as the value it stands for."""
        if len(data) != 1:
            return data
        [(key, value)] = data.items()
        if not key.startswith(TAG):
            return data
        kind = key[len(TAG):]
        if kind == "dict":
            return {item_key: item for item_key, item in value}
        if kind == "date":
            return dt.date.fromisoformat(value)
        if kind == "datetime":
            return dt.datetime.fromisoformat(value)
        if kind == "enum":
            return self.enums[value[0]](value[1])
        if kind == "model":
            return self._decode_model(*value)
        raise ValueError(f"unknown kind {kind!r}")

    def _decode_model(self, name: str, fields_set: list[str], fields: dict[str, Any]) -> BaseModel:
        model = self.models[name]
        if set(fields) != set(model.model_fields) or not set(fields_set) <= set(fields):
            raise ValueError(f"the fields of {name} do not match")
        return model.model_construct(set(fields_set), **fields)


def _count_models(value: Any, counts: dict[int, int]) -> None:
    """How many times each model (by identity) occurs in `value`, and in the models within it."""
    if isinstance(value, BaseModel):
        counts[id(value)] = counts.get(id(value), 0) + 1
        if counts[id(value)] > 1:
            return  # its insides are counted once: they are written once
        value = value.__dict__
    if type(value) is dict:
        for key, item in value.items():
            _count_models(key, counts)
            _count_models(item, counts)
    elif type(value) is list:
        for item in value:
            _count_models(item, counts)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
