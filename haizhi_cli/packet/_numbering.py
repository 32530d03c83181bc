"""The packet's one page numbering: `— N —` stamped at the foot of every page after the cover.

Every page is numbered by the same stamp, so the generated documents (bound without a footer of their own)
and the unit's attachments look alike, and the number printed is the page's place after the cover, which
is also its page label and what the 材料清单 gives.

The stamp lies in a band `BAND_MM` high at the bottom of the page. Generated pages leave that band empty
(their bottom margin is wider). An attachment page may be printed or scanned to its edge, so its content
is scaled down about the top centre, just enough to free the band (a 297 mm page to 282 mm, 95 %): the
number never covers what the unit supplied, and nothing of it is cut or hidden under a white box.

The stamps are one small fpdf2 PDF drawn with the bundled font, one page a number; `invisible` stamps (text
render mode 3) give a signed page, whose scan shows the printed number, the same number in its text layer.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import TextMode
from pypdf import PageObject, PdfReader, Transformation

from haizhi_cli.documents import add_face, bundled_face

BAND_MM = 15.0
"""The bottom band the page number sits in, centred."""
STAMP_WIDTH_MM = 60.0
NUMBER_PT = 10.5
"""五号, the size of the standalone documents' own page numbers."""
PT_PER_MM = 72 / 25.4
BAND_PT = BAND_MM * PT_PER_MM


def printed_number(number: int) -> str:
    """The page number as printed: `— 7 —`."""
    return f"— {number} —"


def number_stamps(numbers: Sequence[int], invisible: bool = False) -> PdfReader:
    """One stamp page (`STAMP_WIDTH_MM` × `BAND_MM`) for each of `numbers`, in order."""
    return PdfReader(io.BytesIO(number_stamp_pdf(numbers, invisible)))


def number_stamp_pdf(numbers: Sequence[int], invisible: bool = False) -> bytes:
    """The stamps of `number_stamps` as the bytes of one PDF."""
    pdf = _in_number_font(FPDF(unit="mm", format=(STAMP_WIDTH_MM, BAND_MM)))
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    if invisible:
        pdf.text_mode = TextMode.INVISIBLE
    height = NUMBER_PT / PT_PER_MM * 1.2
    for number in numbers:
        pdf.add_page()
        pdf.set_xy(0, (BAND_MM - height) / 2)
        pdf.cell(STAMP_WIDTH_MM, height, printed_number(number), align="C")
    return bytes(pdf.output())


def _in_number_font(pdf: FPDF) -> FPDF:
    """`pdf` set to the page numbers' font: the bundled face (parsed once per process, as the documents' own
    fonts) at `NUMBER_PT`."""
    add_face(pdf, "haizhi", bundled_face().path)
    pdf.set_font("haizhi", size=NUMBER_PT)
    return pdf


SAMPLE_NUMBER = 1234567890
"""Every character a page number prints is in this one's stamp."""


@dataclass(frozen=True)
class StampSample:
    """The stamp of `SAMPLE_NUMBER` (a one-page PDF), and what draws any other number in its font.

    A packet of scans has hundreds of pages; laying out one stamp page a number took some 0.4 ms a page. Each
    number's stamp is instead a content stream of a few bytes, drawn in the sample's font subset, centred
    as fpdf2 centres the sample."""

    pdf: bytes
    font: str
    """The sample's name for its font (`/F1`)."""
    baseline: float
    codes: dict[str, bytes]
    """Each character's code in the font subset, as the sample's text shows it."""
    widths: dict[str, float]
    """Each character's advance at `NUMBER_PT`, in points."""

    def content(self, number: int) -> bytes:
        """The content stream of the stamp of `number`: the same font, size and baseline as the sample."""
        text = printed_number(number)
        left = (STAMP_WIDTH_MM * PT_PER_MM - sum(self.widths[char] for char in text)) / 2
        codes = b"".join(self.codes[char] for char in text).hex().encode()
        return b"BT %s %.2f Tf %.2f %.2f Td <%s> Tj ET\n" % (self.font.encode(), NUMBER_PT, left, self.baseline, codes)


@functools.cache
def stamp_sample() -> StampSample:
    """The sample stamp, made once per process."""
    text = printed_number(SAMPLE_NUMBER)
    data = number_stamp_pdf(range(SAMPLE_NUMBER, SAMPLE_NUMBER + 1))
    shown = _SHOWN.search(PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data())  # type: ignore[union-attr]
    if shown is None:
        raise RuntimeError("the page-number sample is not drawn as fpdf2 draws text")
    font, baseline, codes = shown["font"].decode(), float(shown["y"]), _unescaped(shown["text"])
    if len(codes) != 2 * len(text):
        raise RuntimeError("the page-number sample is not drawn with two-byte codes")
    return StampSample(data, font, baseline, {char: codes[2 * i:2 * i + 2] for i, char in enumerate(text)},
                       _advances(set(text)))


_SHOWN = re.compile(rb"BT (?P<font>/\w+) [\d.]+ Tf ET\nBT [\d.]+ (?P<y>[\d.]+) Td \((?P<text>(?:\\.|[^\\)])*)\) Tj ET",
                    re.DOTALL)


def _unescaped(literal: bytes) -> bytes:
    """A PDF literal string's bytes (fpdf2 escapes `\\`, `(`, `)` and `\r` with a backslash)."""
    return re.sub(rb"\\(.)", lambda match: b"\r" if match[1] == b"r" else match[1], literal, flags=re.DOTALL)


def _advances(chars: set[str]) -> dict[str, float]:
    pdf = _in_number_font(FPDF(unit="pt"))
    return {char: pdf.get_string_width(char) for char in chars}


Box = tuple[float, float, float, float]
"""A page box: left, bottom, right, top."""


def band_freeing(box: Box) -> Transformation | None:
    """The scaling about the top centre of `box` that frees its bottom band; None for a strip too low to
    have one."""
    left, bottom, right, top = box
    height = top - bottom
    if height <= 2 * BAND_PT:
        return None  # a strip, not a page: nothing sensible to free
    scale = (height - BAND_PT) / height
    centre_x = (left + right) / 2
    return Transformation().scale(scale, scale).translate(centre_x * (1 - scale), top * (1 - scale))


def turning(mediabox: Box, rotation: int) -> Transformation:
    """What turns a page's content by its /Rotate onto an upright page with its corner at the media box's
    (as pypdf's `transfer_rotation_to_content`)."""
    left, bottom, right, top = mediabox
    turn = Transformation().translate(-(left + right) / 2, -(bottom + top) / 2).rotate(-rotation)
    (x0, y0), (x1, y1) = turn.apply_on((left, bottom)), turn.apply_on((right, top))
    return turn.translate(-min(x0, x1), -min(y0, y1))


def turned(box: Box, turn: Transformation) -> Box:
    """`box` carried by `turn`, as a box again."""
    (x0, y0), (x1, y1) = turn.apply_on((box[0], box[1])), turn.apply_on((box[2], box[3]))
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def stamp_origin(box: Box) -> tuple[float, float]:
    """Where a number stamp's lower left corner goes on a page of visible box `box`: centred, at its foot."""
    return box[0] + (box[2] - box[0] - STAMP_WIDTH_MM * PT_PER_MM) / 2, box[1]


def stamp(page: PageObject, stamp_page: PageObject) -> None:
    """Merge a number stamp onto the bottom band of `page`, centred on its visible width."""
    box = page.cropbox
    x, y = stamp_origin((float(box.left), float(box.bottom), float(box.right), float(box.top)))
    page.merge_transformed_page(stamp_page, Transformation().translate(x, y), over=True)
