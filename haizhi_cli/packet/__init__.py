"""The packet: the generated documents, the attachments and the 材料清单 bound into packet.pdf, with manifest.json.

Plans the packet from the applicant and the check's report, writes it in a staging folder and moves it into
place without overwriting what a user wrote. Binding never decides eligibility. `sign` puts the scans of the
signed and stamped pages in a copy of the packet.
May import: documents, checking, authoring, engine, applicant, outputs, errors, i18n.
"""

from haizhi_cli.packet._building import ROLE_LABELS, BuildOptions, BuildRefused, BuildResult, build_packet
from haizhi_cli.packet._signing import SIGNED_FILE, SignResult, sign_packet

__all__ = [
    "ROLE_LABELS",
    "SIGNED_FILE",
    "BuildOptions",
    "BuildRefused",
    "BuildResult",
    "SignResult",
    "build_packet",
    "sign_packet",
]
