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

import contextlib
import io
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode
from pypdf import PageObject, PdfReader, Transformation

from haizhi_cli.documents import add_face

BAND_MM = 15.0
"""The bottom band the page number sits in, centred."""
STAMP_WIDTH_MM = 60.0
NUMBER_PT = 10.5
"""五号, the size of the standalone documents' own page numbers."""
PT_PER_MM = 72 / 25.4
BAND_PT = BAND_MM * PT_PER_MM
BUNDLED_FONT = ("fonts", "NotoSerifCJKsc-haizhi.ttf")


def printed_number(number: int) -> str:
    """The page number as printed: `— 7 —`."""
    return f"— {number} —"


def number_stamps(numbers: range, invisible: bool = False) -> PdfReader:
    """One stamp page (`STAMP_WIDTH_MM` × `BAND_MM`) for each of `numbers`, in order."""
    return PdfReader(io.BytesIO(number_stamp_pdf(numbers, invisible)))


def number_stamp_pdf(numbers: range, invisible: bool = False) -> bytes:
    """The stamps of `number_stamps` as the bytes of one PDF."""
    pdf = FPDF(unit="mm", format=(STAMP_WIDTH_MM, BAND_MM))
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    with _bundled_font() as font:
        add_face(pdf, "haizhi", Path(font))  # parsed once per process, as the documents' own fonts
        pdf.set_font("haizhi", size=NUMBER_PT)
        if invisible:
            pdf.text_mode = TextMode.INVISIBLE
        height = NUMBER_PT / PT_PER_MM * 1.2
        for number in numbers:
            pdf.add_page()
            pdf.set_xy(0, (BAND_MM - height) / 2)
            pdf.cell(STAMP_WIDTH_MM, height, printed_number(number), align="C")
        return bytes(pdf.output())


@contextlib.contextmanager
def _bundled_font() -> Iterator[str]:
    resource = resources.files("haizhi_cli").joinpath(*BUNDLED_FONT)
    with resources.as_file(resource) as path:
        yield str(path)


Box = tuple[float, float, float, float]
"""A page box: left, bottom, right, top."""


def free_the_band(page: PageObject) -> None:
    """Scale an attachment page's content about its top centre so that the bottom band is empty; a page
    turned by /Rotate is first turned in its content, so that its foot is the foot it is read by."""
    if page.rotation:
        page.transfer_rotation_to_content()
    box = page.cropbox
    shrink = band_freeing((float(box.left), float(box.bottom), float(box.right), float(box.top)))
    if shrink is not None:
        page.add_transformation(shrink)


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
