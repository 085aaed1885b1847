"""Telegram-flavoured HTML parsing.

Telegram does not accept general HTML: it has its own small parser (tdlib's ``parse_html``)
that rejects unknown or unbalanced tags with ``can't parse entities``. Text limits are
measured on the *parsed* text, so the emulator needs the same parser to judge lengths and
the terminal UI reuses it to render messages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

# Tag name -> entity type, as documented in "Formatting options / HTML style".
SUPPORTED_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

# Only these named entities are understood; anything else stays literal text.
NAMED_ENTITIES: dict[str, str] = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_MARKUP_START = re.compile(r"[&<]")
_TAG_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class HtmlParseError(ValueError):
    """Raised with Telegram's wording for HTML that Telegram would reject."""


@dataclass
class Entity:
    """A parsed entity; offsets are in Python characters (code points) of the plain text."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_api(self, text: str) -> dict[str, object]:
        """The Bot API form, whose offsets count UTF-16 code units."""
        offset = _utf16_len(text[: self.offset])
        length = _utf16_len(text[self.offset : self.offset + self.length])
        result: dict[str, object] = {"type": self.type, "offset": offset, "length": length}
        for key in ("url", "language", "custom_emoji_id"):
            if (value := getattr(self, key)) is not None:
                result[key] = value
        return result


@dataclass
class ParsedText:
    text: str
    entities: list[Entity] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    start: int
    attributes: dict[str, str]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, raising HtmlParseError like Telegram."""
    out: list[str] = []
    length = 0
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            decoded, i = _decode_entity(source, i)
            out.append(decoded)
            length += len(decoded)
        elif char == "<":
            if source.startswith("</", i):
                tag, i = _read_end_tag(source, i)
                opened = _close_tag(stack, tag, i)
                if entity := _entity_for(opened, length):
                    entities.append(entity)
            else:
                opened_tag, i = _read_start_tag(source, i, length)
                stack.append(opened_tag)
        else:
            # Plain text up to the next tag or entity in one slice: a character at a time
            # made this parser most of the emulator's cost at 1,000 messages/s.
            special = _MARKUP_START.search(source, i)
            end = len(source) if special is None else special.start()
            out.append(source[i:end])
            length += end - i
            i = end
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e.offset, -e.length))
    return ParsedText("".join(out), entities)


@functools.lru_cache(maxsize=1024)
def parse_html_cached(source: str) -> ParsedText:
    """`parse_html`, remembered: every message is parsed twice (the length check, then the
    reply), and a fan-out sends many alike. Callers must not change what it returns."""
    return parse_html(source)


def _decode_entity(source: str, i: int) -> tuple[str, int]:
    """Decode ``&...;`` at i; unknown or malformed entities are kept literally like Telegram."""
    end = source.find(";", i + 1, i + 12)
    if end == -1:
        return "&", i + 1
    name = source[i + 1 : end]
    if name in NAMED_ENTITIES:
        return NAMED_ENTITIES[name], end + 1
    if name.startswith("#"):
        digits = name[1:]
        try:
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits, 10)
            return chr(code), end + 1
        except (ValueError, OverflowError):
            pass
    return "&", i + 1


def _byte_offset(source: str, i: int) -> int:
    return len(source[:i].encode("utf-8"))


def _read_end_tag(source: str, i: int) -> tuple[str, int]:
    end = source.find(">", i)
    if end == -1:
        raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(source, i)}")
    return source[i + 2 : end].strip().lower(), end + 1


def _close_tag(stack: list[_OpenTag], name: str, i: int) -> _OpenTag:
    if not stack:
        raise HtmlParseError(f'Unexpected end tag "{name}"')
    opened = stack.pop()
    if name != opened.name:
        raise HtmlParseError(
            f'Unmatched end tag "{name}", expected "</{opened.name}>", found "</{name}>"'
        )
    return opened


def _read_start_tag(source: str, i: int, text_offset: int) -> tuple[_OpenTag, int]:
    start = i
    i += 1
    name_end = i
    while name_end < len(source) and source[name_end].lower() in _TAG_NAME_CHARS:
        name_end += 1
    name = source[i:name_end].lower()
    if name not in SUPPORTED_TAGS:
        raise HtmlParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, start)}'
        )
    attributes, i = _read_attributes(source, name_end, start)
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
    if name == "tg-emoji" and "emoji-id" not in attributes:
        raise HtmlParseError('Tag "tg-emoji" must have attribute "emoji-id"')
    return _OpenTag(name, text_offset, attributes), i


def _read_attributes(source: str, i: int, tag_start: int) -> tuple[dict[str, str], int]:
    attributes: dict[str, str] = {}
    while True:
        while i < len(source) and source[i].isspace():
            i += 1
        if i >= len(source):
            raise HtmlParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, tag_start)}"
            )
        if source[i] == ">":
            return attributes, i + 1
        name_end = i
        while name_end < len(source) and source[name_end] not in "= \t\r\n>":
            name_end += 1
        attr_name = source[i:name_end].lower()
        if not attr_name:
            raise HtmlParseError(
                f"Empty attribute name in the tag at byte offset {_byte_offset(source, tag_start)}"
            )
        i = name_end
        value = ""
        if i < len(source) and source[i] == "=":
            value, i = _read_attribute_value(source, i + 1, tag_start)
        attributes[attr_name] = value


def _read_attribute_value(source: str, i: int, tag_start: int) -> tuple[str, int]:
    if i < len(source) and source[i] in "\"'":
        quote = source[i]
        end = source.find(quote, i + 1)
        if end == -1:
            raise HtmlParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, tag_start)}"
            )
        raw, i = source[i + 1 : end], end + 1
    else:
        end = i
        while end < len(source) and source[end] not in " \t\r\n>":
            end += 1
        raw, i = source[i:end], end
    return _unescape(raw), i


def _unescape(raw: str) -> str:
    parts: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded, i = _decode_entity(raw, i)
            parts.append(decoded)
        else:
            parts.append(raw[i])
            i += 1
    return "".join(parts)


def _entity_for(tag: _OpenTag, end: int) -> Entity | None:
    if end == tag.start:
        return None  # Telegram silently drops empty entities
    entity_type = SUPPORTED_TAGS[tag.name]
    entity = Entity(entity_type, tag.start, end - tag.start)
    if tag.name == "a":
        entity.url = tag.attributes.get("href") or None
        if entity.url is None:
            return None
    elif tag.name == "tg-emoji":
        entity.custom_emoji_id = tag.attributes.get("emoji-id")
    elif tag.name == "blockquote" and "expandable" in tag.attributes:
        entity.type = "expandable_blockquote"
    return entity


def html_to_plain(source: str) -> str:
    """Best-effort plain text: parsed text if valid, the raw source otherwise."""
    try:
        return parse_html(source).text
    except HtmlParseError:
        return source
