"""An attachment swapped between the check and the build's copy is never copied: the build opens the very
file it probed, without following a link at its last component, or stops with exit 2."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haizhi_cli.checking import AttachmentChanged, copy_probed, probe_one
from haizhi_cli.cli import app
from haizhi_cli.packet import _building as building
from tests.conftest import EXAMPLES

runner = CliRunner(env={"COLUMNS": "200", "HAIZHI_LANG": None, "SOURCE_DATE_EPOCH": "1693526400"})


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "work-base", tmp_path / "unit")
    outside = tmp_path / "secret.pdf"
    shutil.copyfile(EXAMPLES / "work-base" / "attachments" / "proofs.pdf", outside)
    outside.write_bytes(outside.read_bytes() + b"\n% SECRET OUTSIDE THE FOLDER\n")
    return tmp_path / "unit"


def to_a_link_outside(unit: Path) -> None:
    proofs = unit / "attachments" / "proofs.pdf"
    proofs.unlink()
    proofs.symlink_to(unit.parent / "secret.pdf")


def to_another_file(unit: Path) -> None:
    proofs = unit / "attachments" / "proofs.pdf"
    replacement = unit / "attachments" / "other.pdf"
    shutil.copyfile(proofs, replacement)
    replacement.replace(proofs)  # a new inode at the same path


def removed(unit: Path) -> None:
    (unit / "attachments" / "proofs.pdf").unlink()


@pytest.mark.parametrize("swap", [to_a_link_outside, to_another_file, removed])
def test_a_swap_after_the_check_stops_the_build(unit: Path, swap: Callable[[Path], None],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    documents = building._Writer.document

    def document_then_swap(self: building._Writer, *args: object) -> None:
        documents(self, *args)  # type: ignore[arg-type]
        if not getattr(self, "_swapped", False):
            object.__setattr__(self, "_swapped", True)
            swap(unit)

    monkeypatch.setattr(building._Writer, "document", document_then_swap)
    out = unit.parent / "packet"
    done = runner.invoke(app, ["build-packet", "--as-of", "2023-09-01", str(unit / "applicant.yaml"), "-o", str(out)])
    assert done.exit_code == 2, done.output
    assert "proofs.pdf" in done.output and "被替换或改为链接" in done.output
    assert not out.exists()
    assert not [p for p in unit.parent.iterdir() if p.name.startswith(".packet.")]  # its staging is gone


def test_without_a_swap_the_copy_is_the_probed_file(unit: Path, tmp_path: Path) -> None:
    fact = probe_one(unit, "attachments/proofs.pdf")
    target = tmp_path / "copy.pdf"
    copy_probed(unit, fact, target)
    assert target.read_bytes() == (unit / "attachments" / "proofs.pdf").read_bytes()


def test_a_link_inside_the_folder_is_copied_from_the_file_it_names(unit: Path, tmp_path: Path) -> None:
    (unit / "attachments" / "alias.pdf").symlink_to("proofs.pdf")
    fact = probe_one(unit, "attachments/alias.pdf")
    copy_probed(unit, fact, tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == (unit / "attachments" / "proofs.pdf").read_bytes()


def test_a_file_that_was_never_probed_readable_is_not_copied(unit: Path, tmp_path: Path) -> None:
    fact = probe_one(unit, "attachments/none.pdf")
    with pytest.raises(AttachmentChanged):
        copy_probed(unit, fact, tmp_path / "copy.pdf")
