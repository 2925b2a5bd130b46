"""A .docx of a draft with python-docx: the title, a heading per section, the facts as paragraphs."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import docx
from docx.oxml.ns import qn

from bot.documents.model import Document
from bot.documents.snapshots import Filed, stamp
from bot.i18n.inert import inert

# XML 1.0 cannot hold most control characters; lxml refuses them, so they are dropped from user text (after
# bot.i18n.inert has defanged its addresses, removed invisible characters and shown bidirectional controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EAST_ASIAN_FONT = "游明朝"


def _clean(text: str) -> str:
    return _CONTROL.sub("", inert(text))


def render_docx(documents: Document | Filed | Iterable[Document | Filed]) -> bytes:
    """One document, or several in one file, each after a page break; a filed copy under its stamp."""
    items = [documents] if isinstance(documents, Document | Filed) else list(documents)
    out = docx.Document()
    normal = out.styles["Normal"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    index = 0
    for item in items:
        if isinstance(item, Filed):
            for number, doc in enumerate(item.documents):
                if index:
                    out.add_page_break()
                if not number:
                    out.add_paragraph(_clean(stamp(item)), style="Intense Quote")
                _document(out, doc)
                index += 1
            continue
        if index:
            out.add_page_break()
        _document(out, item)
        index += 1
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _document(out, doc: Document) -> None:
    out.add_heading(_clean(doc.title), level=0)
    for note in doc.notes():
        out.add_paragraph(_clean(note), style="Intense Quote")
    for section in doc.sections:
        out.add_heading(_clean(section.heading), level=1)
        for block in section.blocks:
            if block.kind == "bullet":
                out.add_paragraph(_clean(block.text), style="List Bullet")
            elif block.kind == "field":
                paragraph = out.add_paragraph()
                paragraph.add_run(_clean(block.label) + ("：" if doc.lang == "ja" else ": ")).bold = True
                paragraph.add_run(_clean(block.text))
            else:
                out.add_paragraph(_clean(block.text))
