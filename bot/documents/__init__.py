"""Drafts of everything that must be filed or published (issue 12), built from the incident's view model and
the org config; platform-neutral. Render with ``bot.documents.markdown`` or ``bot.documents.docx``."""

from bot.documents.announcement import announcement
from bot.documents.bundle import FILE_NAMES, bundle
from bot.documents.consultation import consultation
from bot.documents.enquiry_script import enquiry_script
from bot.documents.model import Block, Document, Section
from bot.documents.notice import notice
from bot.documents.ppc_report import ppc_report
from bot.documents.timeline import TimelineEvent, read_events, timeline

__all__ = [
    "FILE_NAMES",
    "Block",
    "Document",
    "Section",
    "TimelineEvent",
    "announcement",
    "bundle",
    "consultation",
    "enquiry_script",
    "notice",
    "ppc_report",
    "read_events",
    "timeline",
]
