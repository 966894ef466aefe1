"""Generated blocks inside hand-written docs: the text between ``<!-- name:begin -->`` and ``<!-- name:end -->``."""

from __future__ import annotations

import re


def begin(name: str) -> str:
    return f"<!-- {name}:begin -->"


def end(name: str) -> str:
    return f"<!-- {name}:end -->"


def block(text: str, name: str) -> str | None:
    """The current body of a block (None if the document has no such block)."""
    m = re.search(re.escape(begin(name)) + r"\n?(.*?)" + re.escape(end(name)), text, re.S)
    return m.group(1) if m else None


def replace_block(text: str, name: str, body: str) -> str:
    """The document with a block's body replaced; ValueError if its markers are missing."""
    if block(text, name) is None:
        raise ValueError(f"no {begin(name)} ... {end(name)} block")
    body = body if body.endswith("\n") else body + "\n"
    start = text.index(begin(name)) + len(begin(name))
    stop = text.index(end(name), start)
    return text[:start] + "\n" + body + text[stop:]
