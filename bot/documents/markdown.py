"""Markdown (CommonMark/GFM) of a draft. Every text in the model is plain, so all of it is escaped: a fact such
as ``*x* [a](b) # h`` stays literal text and cannot make emphasis, a link, a heading or a list; and made inert
first (bot.i18n.inert), so an address cannot be autolinked (GFM, a Slack canvas) nor a control hide a word."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.documents.model import Block, Document
from bot.documents.snapshots import Filed, stamp
from bot.i18n.inert import inert

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!])")
_LINE_START = re.compile(r"^(\s*)([+\-=]|\d+[.)])")


def escape(text: str, *, block_start: bool = True) -> str:
    """Literal text in Markdown, one line per input line (hard breaks between them). ``block_start``: the text
    opens a block, so a leading ``-``, ``+``, ``=`` or ``1.`` is escaped too (not needed after ``## ``)."""
    lines = []
    for line in inert(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", line.strip())
        match = _LINE_START.match(line) if block_start or lines else None
        if match:
            marker = match.group(2)
            escaped = marker[:-1] + "\\" + marker[-1]
            line = match.group(1) + escaped + line[match.end() :]
        lines.append(line)
    return "  \n".join(line for line in lines if line)


def _block(block: Block) -> str:
    if block.kind == "bullet":
        return f"- {escape(block.text)}"
    if block.kind == "field":
        return f"- **{escape(block.label)}**: {escape(block.text)}"
    return escape(block.text)


def render_markdown(documents: Document | Filed | Iterable[Document | Filed]) -> str:
    """One document, or several in one file (the 速報 and 確報, the letter and the e-mail) separated by a rule.
    A filed copy is its frozen text exactly as it was, under a line saying when and by whom it was filed."""
    docs = [documents] if isinstance(documents, Document | Filed) else list(documents)
    return "\n---\n\n".join(_filed(d) if isinstance(d, Filed) else _document(d) for d in docs)


def _filed(copy: Filed) -> str:
    return f"> {escape(stamp(copy))}\n\n{copy.markdown}"


def _document(doc: Document) -> str:
    out = [f"# {escape(doc.title, block_start=False)}", ""]
    for note in doc.notes():
        out += [f"> {escape(note)}", ""]
    for section in doc.sections:
        out += [f"## {escape(section.heading, block_start=False)}", ""]
        previous = None
        for block in section.blocks:
            if previous is not None and (block.kind == "paragraph" or previous == "paragraph"):
                out.append("")
            out.append(_block(block))
            previous = block.kind
        out.append("")
    return "\n".join(out)
