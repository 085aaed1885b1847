"""Request validation driven by the machine-readable Bot API spec.

Everything here is derived from the spec's field lists and descriptions (required flags,
types, "1-64 bytes" style limits, "Exactly one of the fields ..." rules). The only hand-written
rules are Telegram's documented formatting rules: which parse modes exist and how HTML is
parsed before text lengths are measured.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from emulator.html import HtmlParseError, parse_html_cached
from emulator.models import UploadedFile

SPEC_ENV_VAR = "RAMP_BOT_API_SPEC"
VENDORED_SPEC = Path(__file__).resolve().parent / "bot-api-spec" / "api.min.json"
PARSE_MODES = ("HTML", "MARKDOWNV2", "MARKDOWN")

_SCALARS = frozenset({"Integer", "Float", "String", "Boolean", "InputFile"})
_ARRAY_PREFIX = "Array of "
_LENGTH_RE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_AFTER_PARSING_RE = re.compile(r"after entit(?:y|ies) parsing")
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?\d+(\.\d*)?([eE][-+]?\d+)?")
_TYPE_CONSTANT_RE = re.compile(r"(?:must be|always) [“\"]?([a-z_]+)[”\"]?$")
_OTHER_THAN_RE = re.compile(
    r"(Exactly|At most) one of the fields other than (.+?) must be used", re.IGNORECASE
)
_ONE_OF_LISTED_RE = re.compile(r"(Exactly|At most) one of the fields (.+?) must be used")
_STRING_ALLOWED = "String can be used instead of this object"

# Telegram's own words for the limits bots hit most; tests and logs grep for these.
_TELEGRAM_WORDING: dict[tuple[str, str], str] = {
    ("text", "long"): "message is too long",
    ("text", "short"): "message text is empty",
    ("caption", "long"): "message caption is too long",
    ("callback_data", "long"): "BUTTON_DATA_INVALID",
    ("callback_data", "short"): "BUTTON_DATA_INVALID",
}


def default_spec_path() -> Path:
    """``$RAMP_BOT_API_SPEC`` or the copy vendored beside this module (see its README)."""
    if env := os.environ.get(SPEC_ENV_VAR):
        return Path(env)
    return VENDORED_SPEC


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FieldSpec:
        return cls(
            name=raw["name"],
            types=tuple(raw.get("types", ())),
            required=bool(raw.get("required", False)),
            description=raw.get("description", ""),
        )


@dataclass(frozen=True)
class TypeSpec:
    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...]
    description: str

    @cached_property
    def accepts_string(self) -> bool:
        return _STRING_ALLOWED in self.description

    @cached_property
    def one_of_rule(self) -> tuple[str, frozenset[str]] | None:
        """("exactly"|"at most", the fields of which only one may be set), from the prose."""
        if match := _OTHER_THAN_RE.search(self.description):
            excluded = set(re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group(2)))
            return match.group(1).lower(), frozenset(set(self.fields) - excluded)
        if match := _ONE_OF_LISTED_RE.search(self.description):
            listed = set(re.split(r",\s*(?:or\s+)?|\s+or\s+", match.group(2)))
            return match.group(1).lower(), frozenset(listed & set(self.fields))
        return None


class BotApiSpec:
    """The Bot API spec plus a validator for incoming requests."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", ""))
        self.methods: dict[str, dict[str, FieldSpec]] = {
            name: {f["name"]: FieldSpec.from_json(f) for f in method.get("fields", [])}
            for name, method in data["methods"].items()
        }
        self.types: dict[str, TypeSpec] = {
            name: TypeSpec(
                name=name,
                fields={f["name"]: FieldSpec.from_json(f) for f in spec.get("fields", [])},
                subtypes=tuple(spec.get("subtypes", ())),
                description=" ".join(spec.get("description", [])),
            )
            for name, spec in data["types"].items()
        }
        # Telegram matches method names case-insensitively.
        self._method_names = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> BotApiSpec:
        spec_path = Path(path) if path is not None else default_spec_path()
        with spec_path.open(encoding="utf-8") as handle:
            return cls(json.load(handle))

    def canonical_method(self, method: str) -> str | None:
        return self._method_names.get(method.lower())

    def has_method(self, method: str) -> bool:
        return self.canonical_method(method) is not None

    def decode_params(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Turn form-encoded strings (how PTB sends non-string values) into JSON values.

        PTB JSON-encodes every non-string parameter inside an urlencoded or multipart form,
        so ``reply_markup`` arrives as a JSON string and ``chat_id`` as ``"42"``.
        """
        fields = self.methods.get(self.canonical_method(method) or "", {})
        decoded: dict[str, Any] = {}
        for name, value in params.items():
            field_spec = fields.get(name)
            if field_spec is not None and isinstance(value, str):
                decoded[name] = _decode_string(value, field_spec.types)
            else:
                decoded[name] = value
        return decoded

    def check_request(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Human-readable problems with a request; empty when Telegram would accept it."""
        canonical = self.canonical_method(method)
        if canonical is None:
            return [f"unknown method {method!r}"]
        decoded = self.decode_params(canonical, params)
        return self._check_fields(self.methods[canonical], decoded, prefix="")

    # -- objects and fields ---------------------------------------------------------------

    def _check_fields(
        self, fields: Mapping[str, FieldSpec], obj: Mapping[str, Any], prefix: str
    ) -> list[str]:
        problems: list[str] = []
        for name, required_spec in fields.items():
            if required_spec.required and obj.get(name) is None:
                problems.append(f"{prefix}{name}: missing required field")
        for name, value in obj.items():
            field_spec = fields.get(name)
            path = f"{prefix}{name}"
            if field_spec is None:
                problems.append(f"{path}: unknown field")
            elif value is not None:
                problems += self._check_value(value, field_spec.types, path)
                problems += _check_length(field_spec, value, obj, path)
        parse_mode = obj.get("parse_mode")
        known_mode = not isinstance(parse_mode, str) or parse_mode.upper() in PARSE_MODES
        if "parse_mode" in fields and not known_mode:
            problems.append(f"{prefix}parse_mode: unsupported parse_mode {parse_mode!r}")
        return problems

    def _check_value(self, value: Any, types: tuple[str, ...], path: str) -> list[str]:
        candidates = [t for t in types if self._kind_matches(value, t)]
        if not candidates:
            return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]
        best: tuple[int, int, list[str]] | None = None
        for type_name in candidates:
            problems = self._check_type(value, type_name, path)
            if not problems:
                return []
            # Report against the alternative the caller most plausibly meant: the one whose
            # shape fits best, not merely the one with the fewest nested problems.
            score = (self._shape_mismatch(value, type_name), len(problems), problems)
            if best is None or score[:2] < best[:2]:
                best = score
        return best[2] if best else []

    def _shape_mismatch(self, value: Any, type_name: str) -> int:
        type_spec = self.types.get(type_name)
        if type_spec is None or not isinstance(value, dict) or not type_spec.fields:
            return 0
        missing = sum(1 for f in type_spec.fields.values() if f.required and f.name not in value)
        unknown = sum(1 for key in value if key not in type_spec.fields)
        wrong_constant = len(_check_type_constant(type_spec, value, ""))
        return missing + unknown + 10 * wrong_constant  # the type tag discriminates subtypes

    def _check_type(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith(_ARRAY_PREFIX):
            item_type = type_name.removeprefix(_ARRAY_PREFIX)
            problems: list[str] = []
            for index, item in enumerate(value):
                problems += self._check_value(item, (item_type,), f"{path}[{index}]")
            return problems
        type_spec = self.types.get(type_name)
        if type_name in _SCALARS or type_spec is None or isinstance(value, str):
            return []  # scalar kinds were settled by _kind_matches
        if type_spec.subtypes:
            return self._check_value(value, type_spec.subtypes, path)
        if not type_spec.fields:
            return []  # placeholder types such as CallbackGame
        problems = self._check_fields(type_spec.fields, value, prefix=f"{path}.")
        problems += _check_type_constant(type_spec, value, path)
        problems += _check_one_of(type_spec, value, path)
        return problems

    def _kind_matches(self, value: Any, type_name: str) -> bool:
        if type_name.startswith(_ARRAY_PREFIX):
            return isinstance(value, list)
        if type_name == "Integer":
            return _is_int(value) or (isinstance(value, str) and bool(_INT_RE.fullmatch(value)))
        if type_name == "Float":
            return _is_number(value) or (
                isinstance(value, str) and bool(_FLOAT_RE.fullmatch(value))
            )
        if type_name == "String":
            return isinstance(value, str) or _is_number(value)
        if type_name == "Boolean":
            return isinstance(value, bool)
        if type_name == "InputFile":
            return isinstance(value, UploadedFile) or (
                isinstance(value, str) and value.startswith("attach://")
            )
        type_spec = self.types.get(type_name)
        if type_spec is None:
            return True  # a type the spec mentions but does not describe: don't guess
        if isinstance(value, str):
            return type_spec.accepts_string
        return isinstance(value, dict)


# -- helpers --------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    if isinstance(value, str) and len(value) > 40:
        return f"String {value[:40]!r}…"
    kind = {bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "Array"}
    return f"{kind.get(type(value), 'Object')} {value!r}"[:80]


def _decode_string(value: str, types: tuple[str, ...]) -> Any:
    """Decode one form value according to the field's declared types."""
    structured = any(t.startswith(_ARRAY_PREFIX) or t not in _SCALARS for t in types)
    if structured and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if "Boolean" in types and value in ("true", "false"):
        return value == "true"
    if "Integer" in types and _INT_RE.fullmatch(value):
        return int(value)
    if "Float" in types and "String" not in types and _FLOAT_RE.fullmatch(value):
        return float(value)
    return value


def _check_length(
    field_spec: FieldSpec, value: Any, obj: Mapping[str, Any], path: str
) -> list[str]:
    match = _LENGTH_RE.search(field_spec.description)
    if match is None or not isinstance(value, str):
        return []
    low, high, unit = int(match.group(1)), int(match.group(2)), match.group(3)
    measured = value
    after_parsing = bool(_AFTER_PARSING_RE.search(field_spec.description))
    if after_parsing:
        try:
            measured = _parsed_text(value, obj.get("parse_mode")).strip()
        except HtmlParseError as error:
            return [f"{path}: can't parse entities: {error}"]
    size = len(measured.encode("utf-8")) if unit == "bytes" else len(measured)
    if low <= size <= high:
        return []
    direction = "long" if size > high else "short"
    wording = _TELEGRAM_WORDING.get((field_spec.name, direction), f"too {direction}")
    detail = " after entity parsing" if after_parsing else ""
    return [f"{path}: {wording} ({size} {unit}{detail}, allowed {low}-{high})"]


def _parsed_text(value: str, parse_mode: Any) -> str:
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        return parse_html_cached(value).text
    # Markdown modes are measured raw: a slight over-estimate, never a false accept of HTML.
    return value


def _check_type_constant(type_spec: TypeSpec, value: Mapping[str, Any], path: str) -> list[str]:
    type_field = type_spec.fields.get("type")
    if type_field is None or "type" not in value:
        return []
    match = _TYPE_CONSTANT_RE.search(type_field.description)
    if match is None or value["type"] == match.group(1):
        return []
    return [f"{path}.type: must be {match.group(1)!r} for {type_spec.name}"]


def _check_one_of(type_spec: TypeSpec, value: Mapping[str, Any], path: str) -> list[str]:
    rule = type_spec.one_of_rule
    if rule is None:
        return []
    mode, candidates = rule
    used = sorted(name for name in candidates if value.get(name) is not None)
    if len(used) > 1:
        return [f"{path}: only one of {sorted(candidates)} may be set, got {used}"]
    if mode == "exactly" and not used:
        return [f"{path}: {type_spec.name} needs exactly one of {sorted(candidates)}"]
    return []
