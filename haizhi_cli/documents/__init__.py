"""The packet: the 申报表, 建设方案, cover documents in Word and PDF, bound into packet.pdf.

Rendering lays out what the applicant wrote; it never decides eligibility (the check's report says that).
May import: checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.documents._blank_form import write_blank_form
from haizhi_cli.documents._building import BuildOptions, BuildRefused, BuildResult, build_packet

__all__ = ["BuildOptions", "BuildRefused", "BuildResult", "build_packet", "write_blank_form"]
