"""Property-based tests: mutated applicant files never crash `haizhi check`; any text comes out literally.

(a) The three open examples, mutated (a key deleted, a value retyped, a key duplicated, random keys and
values inserted), are checked through the CLI with `--format json`: the exit status is 0, 1 or 2, stdout is
the JSON report or the error object, and nothing ever prints a traceback or an internal error.

(b) Random text in every free-text field, drawn from the characters of the bundled font, is rendered into the
申报表 and the 建设方案 as Word and PDF, and every line of it is read back literally.

The number of cases comes from the Hypothesis profile (tests/conftest.py): `default` keeps the run short,
`pytest --hypothesis-profile=long tests/test_fuzz.py` (or HYPOTHESIS_PROFILE=long) runs many more.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document as open_docx
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner, Result

from haizhi_cli.applicant._loading import known_keys
from haizhi_cli.applicant._models import Applicant
from haizhi_cli.cli._app import app
from haizhi_cli.documents import _composing as composing
from haizhi_cli.documents._blocks import Document
from haizhi_cli.documents._docx_writer import write_docx
from haizhi_cli.documents._fontset import FontSet, bundled_face, resolve_fonts
from haizhi_cli.documents._pdf_writer import write_pdf
from haizhi_cli.engine._rules import load_round
from tests.conftest import EXAMPLES

runner = CliRunner(env={"HAIZHI_LANG": "zh", "HAIZHI_DEBUG": None})
OPEN_EXAMPLES = ("work-base", "offshore-base", "rd-community")
TEXTS = {name: (EXAMPLES / name / "applicant.yaml").read_text(encoding="utf-8") for name in OPEN_EXAMPLES}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}

Key = str | int
KeyPath = tuple[Key, ...]


# --- (a) mutated applicant files through `haizhi check --format json` -------------------------------------

integers = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 99, 100, 2023, 2024, 2**31, 2**63, -(2**63), 10**12, 10**12 + 1, 2**1024, 10**400,
                     -(10**400)]),
)
"""Any size, beyond float range too (ints above ~1.8e308 once crashed the number validator; see below)."""
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "无", "无 ", "３５０", "350", "2023-09-01", "true", "~", "null", "{{ 7*7 }}", "<w:p>",
                     "\u200b", "\x0b", "😀", "中国科协海智工作基地(苏州)", "format", "attachments/proofs.pdf"]),
)
scalars = st.one_of(st.none(), st.booleans(), integers, st.floats(), texts, st.dates(), st.datetimes())
keys = st.one_of(st.text(max_size=20), integers, st.booleans(), st.none(), st.floats(), st.dates())


def nest(leaf: Any, depth: int, as_dict: bool) -> Any:
    """`leaf` inside `depth` lists (or single-key mappings): around the loader's depth limit of 50."""
    for level in range(depth):
        leaf = {f"k{level}": leaf} if as_dict else [leaf]
    return leaf


values = st.one_of(
    st.recursive(scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
                 max_leaves=10),
    st.builds(nest, scalars, st.integers(1, 80), st.booleans()),
)
KINDS: dict[str, st.SearchStrategy[Any]] = {
    "str": texts, "int": integers, "float": st.floats(), "list": st.lists(values, max_size=3),
    "dict": st.dictionaries(keys, values, max_size=3), "None": st.none(), "bool": st.booleans(),
    "date": st.dates(),
}


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    return {str: "str", int: "int", float: "float", list: "list", dict: "dict", type(None): "None"}.get(
        type(value), type(value).__name__)


def all_paths(node: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """Every key of every mapping and every index of every list, at any depth."""
    found: list[KeyPath] = []
    items: list[tuple[Key, Any]] = list(node.items()) if isinstance(node, dict) else (
        list(enumerate(node)) if isinstance(node, list) else [])
    for key, child in items:
        found.append((*prefix, key))
        found.extend(all_paths(child, (*prefix, key)))
    return found


def containers(node: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """The paths of every mapping and list, the root included."""
    found: list[KeyPath] = [prefix] if isinstance(node, dict | list) else []
    for path in all_paths(node, prefix):
        if isinstance(get(node, path[len(prefix):]), dict | list):
            found.append(path)
    return found


def get(node: Any, path: KeyPath) -> Any:
    for key in path:
        node = node[key]
    return node


def delete_key(data: Any, draw: Callable[..., Any]) -> None:
    path = draw(st.sampled_from(all_paths(data)))
    parent = get(data, path[:-1])
    del parent[path[-1]]


def retype_value(data: Any, draw: Callable[..., Any]) -> None:
    path = draw(st.sampled_from(all_paths(data)))
    parent = get(data, path[:-1])
    kind = draw(st.sampled_from(sorted(set(KINDS) - {kind_of(parent[path[-1]])})))
    parent[path[-1]] = draw(KINDS[kind])


def insert_key(data: Any, draw: Callable[..., Any]) -> KeyPath | None:
    """A random key and value in a random mapping, or a random value in a random list; the mapping's path
    and the new key when the key was new there."""
    where = draw(st.sampled_from(containers(data)))
    target = get(data, where)
    value = draw(values)
    if isinstance(target, list):
        target.insert(draw(st.integers(0, len(target))), value)
        return None
    key = draw(keys)
    new = key not in target
    target[key] = value
    return (*where, key) if new else None


def write_and_check(folder: Path, content: str | bytes) -> Result:
    path = folder / "applicant.yaml"
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    return runner.invoke(app, ["check", "--format", "json", "--as-of", "2023-09-01", str(path)])


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def assert_contract(res: Result) -> dict[str, Any]:
    """The promises of `check --format json`, whatever the input; returns the JSON document."""
    shown = f"exit {res.exit_code}\nstdout: {res.stdout[:2000]}\nstderr: {res.stderr[:2000]}"
    assert res.exception is None or isinstance(res.exception, SystemExit), f"{res.exception!r}\n{shown}"
    assert res.exit_code in {0, 1, 2}, shown
    for stream in (res.stdout, res.stderr):
        assert "Traceback" not in stream, shown
        assert "内部错误" not in stream, shown
    document = json.loads(res.stdout)
    assert isinstance(document, dict), shown
    error = document.get("error")
    if res.exit_code == 2:
        assert isinstance(error, dict), shown
        assert isinstance(error.get("message"), str) and error["message"].strip(), shown
        assert "findings" not in document, shown
        assert res.stderr.strip(), shown  # the error in words, for a person
    else:
        assert error is None, shown
        findings = document.get("findings")
        assert isinstance(findings, list) and findings, shown
        failed = any(finding["status"] == "fail" for finding in findings)
        assert res.exit_code == (1 if failed else 0), shown
    return document


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per example with its attachments copied once; each case writes applicant.yaml beside them."""
    root = tmp_path_factory.mktemp("fuzz")
    for name in OPEN_EXAMPLES:
        shutil.copytree(EXAMPLES / name / "attachments", root / name / "attachments")
    return {name: root / name for name in OPEN_EXAMPLES}


@pytest.mark.parametrize("name", OPEN_EXAMPLES)
def test_the_unmutated_examples_pass_through_the_harness(folders: dict[str, Path], name: str) -> None:
    """The harness itself: the examples as they are (text, and dumped from plain data) are eligible."""
    for content in (TEXTS[name], dump(DATA[name])):
        document = assert_contract(write_and_check(folders[name], content))
        assert document["eligible"] is True and document["complete"] is True


@settings(deadline=None)
@given(name=st.sampled_from(OPEN_EXAMPLES), data=st.data())
def test_deleting_any_key_is_never_a_crash(folders: dict[str, Path], name: str, data: st.DataObject) -> None:
    mutated = copy.deepcopy(DATA[name])
    delete_key(mutated, data.draw)
    assert_contract(write_and_check(folders[name], dump(mutated)))


@settings(deadline=None)
@given(name=st.sampled_from(OPEN_EXAMPLES), data=st.data())
def test_retyping_any_value_is_never_a_crash(folders: dict[str, Path], name: str, data: st.DataObject) -> None:
    mutated = copy.deepcopy(DATA[name])
    retype_value(mutated, data.draw)
    assert_contract(write_and_check(folders[name], dump(mutated)))


@settings(deadline=None)
@given(name=st.sampled_from(OPEN_EXAMPLES), data=st.data())
def test_inserted_keys_and_values_are_never_a_crash(folders: dict[str, Path], name: str,
                                                    data: st.DataObject) -> None:
    mutated = copy.deepcopy(DATA[name])
    inserted = insert_key(mutated, data.draw)
    document = assert_contract(write_and_check(folders[name], dump(mutated)))
    if inserted is not None and isinstance(inserted[-1], str):
        place = known_keys(Applicant, inserted[:-1])
        if place and inserted[-1] not in place:  # a new text key where the format has a fixed set of keys
            assert "error" in document, f"unknown key {inserted} was accepted"


@settings(deadline=None)
@given(name=st.sampled_from(OPEN_EXAMPLES), data=st.data())
def test_several_mutations_at_once_are_never_a_crash(folders: dict[str, Path], name: str,
                                                     data: st.DataObject) -> None:
    mutated = copy.deepcopy(DATA[name])
    mutations = data.draw(st.lists(st.sampled_from([delete_key, retype_value, insert_key]), min_size=2, max_size=4))
    for mutate in mutations:
        if isinstance(mutated, dict) and all_paths(mutated):
            mutate(mutated, data.draw)
    assert_contract(write_and_check(folders[name], dump(mutated)))


KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*):(?: |$)")
FLOW_ENTRY = re.compile(r"([{,] *)([A-Za-z0-9_]+): ([^,{}\[\]]+)(?=[,}])")


def key_blocks(text: str) -> list[tuple[int, int]]:
    """(first line, end line) of every `key:` of a block mapping with the lines of its value."""
    lines = text.splitlines(keepends=True)
    blocks = []
    for start, line in enumerate(lines):
        match = KEY_LINE.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent):
            end += 1
        blocks.append((start, end))
    return blocks


@settings(deadline=None)
@given(name=st.sampled_from(OPEN_EXAMPLES), data=st.data())
def test_a_key_written_twice_is_refused(folders: dict[str, Path], name: str, data: st.DataObject) -> None:
    """A key repeated in the same mapping, in block or flow style, is exit 2 naming the repetition."""
    lines = TEXTS[name].splitlines(keepends=True)
    flow = [(number, match) for number, line in enumerate(lines) for match in FLOW_ENTRY.finditer(line)]
    if data.draw(st.booleans(), label="flow style"):
        number, match = data.draw(st.sampled_from(flow))
        entry = f"{match.group(2)}: {match.group(3)}"
        line = lines[number]
        lines[number] = f"{line[:match.end()]}, {entry}{line[match.end():]}"
    else:
        start, end = data.draw(st.sampled_from(key_blocks(TEXTS[name])))
        lines[end:end] = lines[start:end]
    document = assert_contract(write_and_check(folders[name], "".join(lines)))
    assert "重复出现" in document["error"]["message"]


@pytest.mark.parametrize("line", [
    "  staff_total: 12",
    "  service_area_m2: 350",
    "  returnee_talents_long_term: 26",
])
@pytest.mark.parametrize("number", [2**1024, 10**400])
def test_a_number_beyond_float_range_is_a_clear_error(folders: dict[str, Path], line: str, number: int) -> None:
    """Found by this file: math.isfinite() on an int beyond float range raised OverflowError, an internal error."""
    text = TEXTS["work-base"]
    assert line + "\n" in text
    key = line.split(":")[0]
    document = assert_contract(write_and_check(folders["work-base"], text.replace(line, f"{key}: {number}")))
    assert "error" in document and key.strip() in document["error"]["message"]


# --- (b) random text rendered into the 申报表 and the 建设方案 ------------------------------------------------

def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _alphabets() -> tuple[list[str], list[str], list[str]]:
    """GB 2312 Han, printable ASCII and CJK punctuation, each cut down to what the bundled font maps."""
    covered = bundled_face().codepoints()
    han = [chr(c) for c in range(0x4E00, 0xA000) if c in covered and _in_gb2312(chr(c))]
    ascii_ = [chr(c) for c in range(0x20, 0x7F) if c in covered]
    punctuation = [chr(c) for c in (*range(0x3000, 0x3040), *range(0xFF01, 0xFF5F), *range(0x2010, 0x2070), 0xB7)
                   if c in covered and _in_gb2312(chr(c))]
    return han, ascii_, punctuation


HAN, ASCII, PUNCTUATION = _alphabets()
HOSTILE = ["{{ 7*7 }}", "{% for x in y %}", "{% endfor %}", "<w:p>", "</w:t>", "&amp;", "&", "<", ">", '"', "'",
           "]]>", "<!--", "${x}", "\\n", "%s"]
characters = st.one_of(st.sampled_from(HAN), st.sampled_from(ASCII), st.sampled_from(PUNCTUATION))
pieces = st.one_of(st.text(characters, min_size=1, max_size=30), st.sampled_from(HOSTILE))
padding = st.sampled_from(["", " ", "  ", "\u3000", "\u3000\u3000"])
lines_ = st.builds(lambda before, parts, after: before + "".join(parts) + after,
                   padding, st.lists(pieces, max_size=4), padding)
newlines = st.sampled_from(["\n", "\r\n"])
free_text = st.builds(lambda lines, newline: newline.join(lines), st.lists(lines_, min_size=1, max_size=5), newlines)
content_line = st.builds(lambda before, first, parts, after: before + first + "".join(parts) + after,
                         padding, st.one_of(st.sampled_from(HAN), st.sampled_from(HOSTILE)),
                         st.lists(pieces, max_size=3), padding)
required_text = st.builds(lambda before, line, after, newline: newline.join([*before, line, *after]),
                          st.lists(lines_, max_size=2), content_line, st.lists(lines_, max_size=2), newlines)
"""Text with at least one line that is not blank, as a required field must have."""

FORM_FIELDS = ("narratives.foundation", "narratives.purpose", "narratives.goals", "narratives.policies",
               "base.address")
PLAN_FIELDS = ("plan.foundation.conditions", "plan.foundation.achievements", "plan.approach", "plan.safeguards",
               "plan.tasks.0.content", "plan.tasks.1.content")
CONDITION_FIELDS = tuple(f"conditions.{key}" for key in known_keys(Applicant, ("conditions",)))
"""conditions.* are checked but printed in no generated document: they are filled to show they break nothing."""

RENDER_EXAMPLES = max(10, settings().max_examples // 5)
"""Rendering costs about a second a case: a fifth of the profile's count (20 under `default`)."""

FACTS = load_round(2023).facts
TIMESTAMP = dt.datetime(2023, 9, 15, tzinfo=dt.UTC)
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—\s*$")


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return resolve_fonts()


@pytest.fixture(scope="module")
def render_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("render")


def applicant_with(texts: dict[str, str]) -> Applicant:
    data = copy.deepcopy(DATA["work-base"])
    for dotted, text in texts.items():
        *parents, last = [int(part) if part.isdigit() else part for part in dotted.split(".")]
        get(data, tuple(parents))[last] = text
    return Applicant.model_validate(data)


def expected_lines(text: str) -> list[str]:
    """What the writers print of a text: each line trimmed, the empty ones dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return "".join(text.split())


def render(document: Document, stem: Path, fonts: FontSet) -> tuple[set[str], str]:
    """The document as Word and PDF: the text of every Word paragraph (cells included), and the PDF's text
    without whitespace and without the page numbers at the foot of each page."""
    write_docx(document, stem.with_suffix(".docx"), TIMESTAMP)
    write_pdf(document, stem.with_suffix(".pdf"), fonts, TIMESTAMP)
    word = open_docx(str(stem.with_suffix(".docx")))
    paragraphs = {p.text for p in word.paragraphs}
    paragraphs |= {p.text for table in word.tables for row in table.rows for cell in row.cells
                   for p in cell.paragraphs}
    pages = [PAGE_NUMBER.sub("", page.extract_text()) for page in PdfReader(stem.with_suffix(".pdf")).pages]
    return paragraphs, squeeze("".join(pages))


def assert_printed(texts: dict[str, str], paragraphs: set[str], pdf_text: str) -> None:
    for dotted, text in texts.items():
        for line in expected_lines(text):
            assert line in paragraphs, f"{dotted}: {line!r} is not a paragraph of the Word file"
            assert squeeze(line) in pdf_text, f"{dotted}: {line!r} is not in the PDF's text"


def test_the_alphabet_is_what_the_brief_says() -> None:
    assert len(HAN) > 6000 and "中" in HAN and "鱻" not in HAN
    assert len(ASCII) == 95
    assert {"，", "。", "、", "“", "”", "（", "）", "\u3000"} <= set(PUNCTUATION)


@settings(max_examples=RENDER_EXAMPLES, deadline=None)
@given(texts=st.fixed_dictionaries({field: required_text for field in FORM_FIELDS}),
       conditions=st.fixed_dictionaries({field: free_text for field in CONDITION_FIELDS}))
def test_form_text_comes_out_literally(render_dir: Path, fonts: FontSet, texts: dict[str, str],
                                       conditions: dict[str, str]) -> None:
    document = composing.application_form(applicant_with({**texts, **conditions}), FACTS)
    paragraphs, pdf_text = render(document, render_dir / "申报表", fonts)
    assert_printed(texts, paragraphs, pdf_text)


@settings(max_examples=RENDER_EXAMPLES, deadline=None)
@given(texts=st.fixed_dictionaries({field: required_text for field in PLAN_FIELDS}))
def test_plan_text_comes_out_literally(render_dir: Path, fonts: FontSet, texts: dict[str, str]) -> None:
    document = composing.construction_plan(applicant_with(texts), FACTS)
    paragraphs, pdf_text = render(document, render_dir / "建设方案", fonts)
    assert_printed(texts, paragraphs, pdf_text)
