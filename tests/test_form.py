"""The 申报表's layout, described once in applicant/_form.py, against the notice's own form."""

from __future__ import annotations

import pytest

from haizhi_cli.applicant import BASIC_INFO, OPINIONS, OTHER_MATERIALS, SECTIONS
from haizhi_cli.applicant._form import BASIC_INFO_KEYS, field_title
from tests.conftest import ROOT

NOTICE = (ROOT / "docs" / "notice" / "2023-haizhi-base-notice.txt").read_text(encoding="utf-8")


def as_printed(text: str) -> str:
    """The notice's text with its spacing and half-width brackets evened out, to compare labels with."""
    return text.replace(" ", "").replace("(", "（").replace(")", "）")


FORM_CELLS = {cell for line in as_printed(NOTICE).splitlines() for cell in line.split("\t") if cell}


@pytest.mark.parametrize(("label", "key"), [pair for row in BASIC_INFO for pair in row])
def test_each_basic_info_label_is_the_notice_s_cell_and_the_model_s_title(label: str, key: str) -> None:
    assert label in FORM_CELLS, label
    assert label == field_title(key)


def test_the_table_has_the_notice_s_twenty_two_cells_in_its_order() -> None:
    labels = [label for row in BASIC_INFO for label, _ in row]
    assert len(labels) == len(set(labels)) == 22 == 2 * len(BASIC_INFO_KEYS)
    positions = [as_printed(NOTICE).index(label) for label in labels]
    assert positions == sorted(positions)


def test_sections_items_and_opinions_are_printed_in_the_notice() -> None:
    text = as_printed(NOTICE)
    for heading, instruction, _ in SECTIONS:
        assert heading in text and as_printed(instruction) in text
    for item in OTHER_MATERIALS:
        assert as_printed(item.printed.replace(". ", ".")) in text.replace(". ", "."), item.printed
    for opinion in OPINIONS:
        assert opinion.label in text
