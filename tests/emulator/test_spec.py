"""Unit tests of the spec-driven request checker and the Telegram HTML parser."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from emulator.html import HtmlParseError, parse_html
from emulator.models import UploadedFile
from emulator.refresh_spec import NotASpec, refresh_vendored_spec
from emulator.spec import VENDORED_SPEC, BotApiSpec, default_spec_path


def keyboard(*buttons: dict[str, object]) -> str:
    return json.dumps({"inline_keyboard": [list(buttons)]})


def test_default_path_honours_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_spec_path().name == "api.min.json"
    monkeypatch.setenv("RAMP_BOT_API_SPEC", str(tmp_path / "x.json"))
    assert default_spec_path() == tmp_path / "x.json"


def test_spec_loads_methods_and_types(spec: BotApiSpec) -> None:
    assert spec.has_method("sendMessage")
    assert spec.has_method("sendmessage")  # Telegram ignores the case of method names
    assert "InlineKeyboardButton" in spec.types
    assert spec.methods["sendMessage"]["chat_id"].required


def test_valid_requests_pass(spec: BotApiSpec) -> None:
    assert spec.check_request("getMe", {}) == []
    assert spec.check_request("getUpdates", {"offset": "3", "timeout": "10", "limit": 5}) == []
    button = {"text": "Yes", "callback_data": "plan:yes"}
    params = {"chat_id": "42", "text": "<b>Hi</b> &amp; welcome", "parse_mode": "HTML"}
    assert spec.check_request("sendMessage", {**params, "reply_markup": keyboard(button)}) == []


def test_unknown_method(spec: BotApiSpec) -> None:
    assert spec.check_request("sendTelepathy", {}) == ["unknown method 'sendTelepathy'"]


def test_missing_and_unknown_fields(spec: BotApiSpec) -> None:
    problems = spec.check_request("sendMessage", {"text": "hi", "colour": "red"})
    assert problems == ["chat_id: missing required field", "colour: unknown field"]


def test_scalar_types_are_checked_loosely(spec: BotApiSpec) -> None:
    assert spec.check_request("sendMessage", {"chat_id": 42, "text": "hi"}) == []
    assert spec.check_request("sendMessage", {"chat_id": "@channel", "text": "hi"}) == []
    problems = spec.check_request("sendMessage", {"chat_id": [1], "text": "hi"})
    assert problems == ["chat_id: expected Integer or String, got Array [1]"]
    problems = spec.check_request("getUpdates", {"timeout": "soon"})
    assert problems == ["timeout: expected Integer, got String 'soon'"]
    problems = spec.check_request("sendMessage", {"chat_id": 1, "text": "x", "protect_content": 1})
    assert problems == ["protect_content: expected Boolean, got Integer 1"]


def test_text_length_is_measured_after_html_parsing(spec: BotApiSpec) -> None:
    wrapped = "<b>" + "a" * 4096 + "</b>"
    assert spec.check_request("sendMessage", {"chat_id": 1, "text": wrapped}) != []
    ok = {"chat_id": 1, "text": wrapped, "parse_mode": "HTML"}
    assert spec.check_request("sendMessage", ok) == []
    escaped = {"chat_id": 1, "text": "&lt;" * 4096, "parse_mode": "HTML"}
    assert spec.check_request("sendMessage", escaped) == []
    [problem] = spec.check_request("sendMessage", {"chat_id": 1, "text": "a" * 4097})
    assert problem.startswith("text: message is too long (4097 characters")


def test_empty_text_is_rejected(spec: BotApiSpec) -> None:
    [problem] = spec.check_request(
        "sendMessage", {"chat_id": 1, "text": "<b> </b>", "parse_mode": "HTML"}
    )
    assert "message text is empty" in problem


def test_caption_limit(spec: BotApiSpec) -> None:
    params = {"chat_id": 1, "document": UploadedFile("a.txt", b"x")}
    assert spec.check_request("sendDocument", {**params, "caption": ""}) == []
    [problem] = spec.check_request("sendDocument", {**params, "caption": "c" * 1025})
    assert "message caption is too long" in problem


def test_edit_message_text_limit(spec: BotApiSpec) -> None:
    params = {"chat_id": 1, "message_id": 2, "text": "x" * 4097}
    assert "message is too long" in spec.check_request("editMessageText", params)[0]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", 'end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag "b"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("1 < 2", 'Unsupported start tag ""'),
        ("x</b>", "Unexpected end tag"),
        ('<span class="red">x</span>', "tg-spoiler"),
    ],
)
def test_html_that_telegram_rejects(spec: BotApiSpec, html: str, error: str) -> None:
    [problem] = spec.check_request(
        "sendMessage", {"chat_id": 1, "text": html, "parse_mode": "HTML"}
    )
    assert problem.startswith("text: can't parse entities:")
    assert error in problem


def test_parse_mode_must_exist(spec: BotApiSpec) -> None:
    params = {"chat_id": 1, "text": "x", "parse_mode": "html5"}
    assert spec.check_request("sendMessage", params) == [
        "parse_mode: unsupported parse_mode 'html5'"
    ]


def test_callback_data_is_limited_in_bytes(spec: BotApiSpec) -> None:
    def check(data: str) -> list[str]:
        markup = keyboard({"text": "b", "callback_data": data})
        return spec.check_request(
            "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}
        )

    assert check("x" * 64) == []
    assert check("é" * 32) == []  # 64 bytes
    [problem] = check("é" * 33)  # 33 characters but 66 bytes
    assert problem.startswith("reply_markup.inline_keyboard[0][0].callback_data: BUTTON_DATA")
    assert "66 bytes" in problem
    assert check("") != []


def test_inline_button_needs_exactly_one_action(spec: BotApiSpec) -> None:
    def check(button: dict[str, object]) -> list[str]:
        markup = keyboard(button)
        return spec.check_request(
            "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}
        )

    assert check({"text": "site", "url": "https://example.org", "style": "primary"}) == []
    [none] = check({"text": "nothing"})
    assert "needs exactly one of" in none
    [two] = check({"text": "both", "url": "https://example.org", "callback_data": "x"})
    assert "only one of" in two
    [unknown] = check({"text": "b", "callback_data": "x", "colour": "red"})
    assert unknown == "reply_markup.inline_keyboard[0][0].colour: unknown field"


def test_inline_keyboard_must_be_rows_of_buttons(spec: BotApiSpec) -> None:
    markup = json.dumps({"inline_keyboard": [{"text": "b", "callback_data": "x"}]})
    [problem] = spec.check_request(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}
    )
    assert problem.startswith("reply_markup.inline_keyboard[0]: expected Array of")


def test_other_reply_markups(spec: BotApiSpec) -> None:
    def check(markup: object) -> list[str]:
        return spec.check_request(
            "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}
        )

    assert check({"keyboard": [["5 km", {"text": "Share", "request_contact": True}]]}) == []
    assert check('{"remove_keyboard": true}') == []
    assert check({"force_reply": True, "input_field_placeholder": "Distance?"}) == []
    [problem] = check({"keyboard": [["a"]], "resize_keyboard": "yes"})
    assert problem == "reply_markup.resize_keyboard: expected Boolean, got String 'yes'"
    [problem] = check({"force_reply": True, "input_field_placeholder": "p" * 65})
    assert problem.startswith("reply_markup.input_field_placeholder: too long")
    button = {"text": "x", "request_contact": True, "request_location": True}
    assert "only one of" in check({"keyboard": [[button]]})[0]


def test_nested_objects_and_subtypes(spec: BotApiSpec) -> None:
    commands = json.dumps([{"command": "start", "description": "Start"}])
    scope = json.dumps({"type": "all_private_chats"})
    assert spec.check_request("setMyCommands", {"commands": commands, "scope": scope}) == []
    bad = json.dumps([{"command": "start"}])
    assert spec.check_request("setMyCommands", {"commands": bad}) == [
        "commands[0].description: missing required field"
    ]
    menu = {"menu_button": json.dumps({"type": "web_app"})}
    assert spec.check_request("setChatMenuButton", menu) == [
        "menu_button.text: missing required field",
        "menu_button.web_app: missing required field",
    ]


def test_uploads_satisfy_input_file(spec: BotApiSpec) -> None:
    upload = UploadedFile("plan.pdf", b"%PDF", "application/pdf")
    assert spec.check_request("sendDocument", {"chat_id": 1, "document": upload}) == []
    assert spec.check_request("sendDocument", {"chat_id": 1, "document": "FILEID"}) == []


def test_decode_params_follows_field_types(spec: BotApiSpec) -> None:
    decoded = spec.decode_params(
        "sendMessage",
        {"chat_id": "42", "text": "123", "disable_notification": "true", "reply_markup": "{}"},
    )
    assert decoded == {
        "chat_id": 42,
        "text": "123",
        "disable_notification": True,
        "reply_markup": {},
    }


def test_html_parser_entities() -> None:
    parsed = parse_html('<b>Run</b> &lt;5k&gt; <a href="https://x.org/?a=1&amp;b=2">plan</a> 🏃')
    assert parsed.text == "Run <5k> plan 🏃"
    kinds = [(e.type, e.offset, e.length, e.url) for e in parsed.entities]
    assert kinds == [("bold", 0, 3, None), ("text_link", 9, 4, "https://x.org/?a=1&b=2")]
    assert parse_html("&#128512; &#x41; &nbsp;").text == "😀 A &nbsp;"
    quote = parse_html("<blockquote expandable>long</blockquote>").entities[0]
    assert quote.type == "expandable_blockquote"
    with pytest.raises(HtmlParseError):
        parse_html("<tg-emoji>x</tg-emoji>")


def test_refresh_replaces_the_vendored_spec_with_a_checked_copy(tmp_path: Path) -> None:
    target = tmp_path / "api.min.json"
    target.write_text("{}")
    version = refresh_vendored_spec(VENDORED_SPEC, target)
    assert version.startswith("Bot API ")
    assert BotApiSpec.load(target).version == version


@pytest.mark.parametrize("content", ["not json", '{"methods": {}, "types": {}}', "[1, 2]"])
def test_refresh_refuses_a_file_that_is_not_a_spec_and_keeps_the_old_one(
    tmp_path: Path, content: str
) -> None:
    target, source = tmp_path / "api.min.json", tmp_path / "new.json"
    target.write_text('{"kept": true}')
    source.write_text(content)
    with pytest.raises(NotASpec):
        refresh_vendored_spec(source, target)
    assert target.read_text() == '{"kept": true}'


def test_the_vendored_spec_is_the_default_and_carries_its_licence() -> None:
    assert default_spec_path() == VENDORED_SPEC or "RAMP_BOT_API_SPEC" in os.environ
    assert "MIT License" in (VENDORED_SPEC.parent / "LICENSE").read_text()
    assert BotApiSpec.load().version in (VENDORED_SPEC.parent / "README.md").read_text()
