"""The packet: the generated documents, the attachments and the 材料清单 bound into packet.pdf, with manifest.json.

Plans the packet from the applicant and the check's report, writes it in a staging folder and moves it into
place without overwriting what a user wrote. Binding never decides eligibility.
May import: documents, checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.packet._building import BuildOptions, BuildRefused, BuildResult, build_packet

__all__ = ["BuildOptions", "BuildRefused", "BuildResult", "build_packet"]
