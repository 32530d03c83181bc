"""Writing one output file: atomic, never over an existing file without force, errors as user errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haizhi_cli.errors._errors import UsageError
from haizhi_cli.outputs._files import write_file_atomically


def test_writes_the_bytes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "汇总.xlsx"
    assert write_file_atomically(path, b"new") == path
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    path = tmp_path / "schema.json"
    path.write_bytes(b"mine")
    with pytest.raises(UsageError, match="已存在，未覆盖"):
        write_file_atomically(path, b"new")
    assert path.read_bytes() == b"mine"
    write_file_atomically(path, b"new", force=True)
    assert path.read_bytes() == b"new"


def test_a_missing_folder_is_an_error_unless_asked_to_make_it(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "applicant.yaml"
    with pytest.raises(UsageError, match="不存在"):
        write_file_atomically(path, b"x")
    write_file_atomically(path, b"x", make_parents=True)
    assert path.read_bytes() == b"x"


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="是一个文件夹"):
        write_file_atomically(tmp_path, b"x", force=True)


def test_the_new_file_has_the_usual_permissions(tmp_path: Path) -> None:
    path = write_file_atomically(tmp_path / "out.json", b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_is_a_user_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UsageError, match="无法写入"):
            write_file_atomically(folder / "x.json", b"{}")
    finally:
        folder.chmod(0o700)


def test_a_refusing_file_system_is_a_user_error_and_the_old_file_stays(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "summary.xlsx"
    path.write_bytes(b"old")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UsageError, match=r"无法写入.*No space left on device"):
        write_file_atomically(path, b"new", force=True)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.xlsx"]
