"""Slack's own checks on an incoming-webhook payload, as the webhook sink applies them.

Written from Slack's Block Kit reference, independently of `alerting/`, so that a test posting
through the sink fails when the product's messages break a limit Slack enforces. Slack answers
such a post with HTTP 400 and the body `invalid_blocks`; :func:`block_kit_problems` lists why.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_MESSAGE_CHARS = 40_000
MAX_SECTION_TEXT = 3_000
MAX_HEADER_TEXT = 150
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2_000
MAX_CONTEXT_ELEMENTS = 10
MAX_BLOCK_ID = 255
MAX_MARKDOWN_BLOCK_TEXT = 12_000

BLOCK_TYPES = {"actions", "context", "divider", "file", "header", "image", "input", "markdown",
               "rich_text", "section", "video"}
TEXT_TYPES = {"plain_text", "mrkdwn"}
ACCESSORY_TYPES = {"button", "checkboxes", "datepicker", "image", "multi_static_select",
                   "multi_external_select", "multi_users_select", "multi_conversations_select",
                   "multi_channels_select", "overflow", "radio_buttons", "static_select",
                   "external_select", "users_select", "conversations_select", "channels_select",
                   "timepicker", "datetimepicker"}


def _text_problems(text: Any, where: str, limit: int, *, plain_only: bool = False) -> list[str]:
    if not isinstance(text, dict) or text.get("type") not in TEXT_TYPES:
        return [f"{where}: not a text object"]
    if plain_only and text["type"] != "plain_text":
        return [f"{where}: must be plain_text"]
    value = text.get("text")
    if not isinstance(value, str) or not value:
        return [f"{where}: empty text"]
    if len(value) > limit:
        return [f"{where}: {len(value)} characters, more than {limit}"]
    return []


def _block_problems(block: Any, where: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        kind = block.get("type") if isinstance(block, dict) else type(block).__name__
        return [f"{where}: unknown block type {kind!r}"]
    problems: list[str] = []
    if len(str(block.get("block_id", ""))) > MAX_BLOCK_ID:
        problems.append(f"{where}: block_id longer than {MAX_BLOCK_ID}")
    kind = block["type"]
    if kind == "section":
        if "text" not in block and "fields" not in block:
            problems.append(f"{where}: section without text or fields")
        if "text" in block:
            problems += _text_problems(block["text"], f"{where}.text", MAX_SECTION_TEXT)
        fields = block.get("fields", [])
        if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
            problems.append(f"{where}.fields: more than {MAX_FIELDS} or not a list")
        else:
            for i, item in enumerate(fields):
                problems += _text_problems(item, f"{where}.fields[{i}]", MAX_FIELD_TEXT)
        accessory = block.get("accessory")
        if accessory is not None and (not isinstance(accessory, dict)
                                      or accessory.get("type") not in ACCESSORY_TYPES):
            problems.append(f"{where}.accessory: invalid element")
    elif kind == "header":
        problems += _text_problems(block.get("text"), f"{where}.text", MAX_HEADER_TEXT,
                                   plain_only=True)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
            problems.append(f"{where}.elements: 1 to {MAX_CONTEXT_ELEMENTS} needed")
        else:
            for i, item in enumerate(elements):
                if isinstance(item, dict) and item.get("type") == "image":
                    continue
                problems += _text_problems(item, f"{where}.elements[{i}]", MAX_SECTION_TEXT)
    elif kind == "markdown":
        value = block.get("text")
        if not isinstance(value, str) or not value or len(value) > MAX_MARKDOWN_BLOCK_TEXT:
            problems.append(f"{where}.text: 1 to {MAX_MARKDOWN_BLOCK_TEXT} characters needed")
    return problems


def message_chars(payload: dict[str, Any]) -> int:
    """Characters of text a message carries: its `text` and every string inside its blocks."""
    def strings(value: Any) -> int:
        if isinstance(value, str):
            return len(value)
        if isinstance(value, dict):
            return sum(strings(v) for k, v in value.items() if k not in ("type", "block_id"))
        if isinstance(value, list):
            return sum(strings(v) for v in value)
        return 0

    return len(str(payload.get("text") or "")) + strings(payload.get("blocks") or [])


def block_kit_problems(payload: Any) -> list[str]:
    """Why Slack would refuse this webhook payload with `invalid_blocks` ([] when it is valid)."""
    if not isinstance(payload, dict) or "blocks" not in payload:
        return []
    blocks = payload["blocks"]
    if not isinstance(blocks, list):
        return ["blocks: not a list"]
    problems = [] if len(blocks) <= MAX_BLOCKS else [
        f"blocks: {len(blocks)} blocks, more than {MAX_BLOCKS}"]
    for index, block in enumerate(blocks):
        problems += _block_problems(block, f"blocks[{index}]")
    chars = message_chars(payload)
    if chars > MAX_MESSAGE_CHARS:
        problems.append(f"message: {chars} characters, more than {MAX_MESSAGE_CHARS}")
    return problems
