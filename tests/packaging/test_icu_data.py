"""ICU's data, cut down for the bundle, still answers Qt as before for the app's languages.

``packaging/icu_data.py`` rewrites the blob inside PySide6's ``libicudata``. Its writer is
checked to give back the same bytes when nothing is left out, and the trimmed library is
loaded in place of the wheel's (``LD_PRELOAD``: same soname) under a Qt program that
sorts, changes case and names time zones: for English and Russian every answer is the
same, and a locale that was left out falls back to ICU's root instead of failing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_icu_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("icu_data", REPO / "packaging" / "icu_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu_data = load_icu_data()


def wheel_icu_library() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    binutils = all(shutil.which(tool) for tool in ("nm", "readelf", "as", "ld"))
    if not (sys.platform.startswith("linux") and found and binutils):
        pytest.skip("PySide6 carries its own ICU only on Linux; binutils are needed")
    return found[0]


def item(payload: bytes) -> bytes:
    """An item as icupkg stores it: its bytes padded to 16 with 0xaa."""
    return payload + b"\xaa" * (-len(payload) % 16)


def test_items_written_come_back_with_their_names_and_bytes() -> None:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + b"\0" * 8 + b"CmnD" + b"\0" * 16
    items = [
        ("icudt73l/coll/root.res", item(b"r" * 37)),
        ("icudt73l/coll/ru.res", item(b"u" * 16)),
        ("icudt73l/uprops.icu", item(b"p" * 5)),
    ]
    blob = icu_data.write_common_data(icu_data.CommonData(header, items))
    parsed = icu_data.parse_common_data(blob)
    assert parsed.header == header
    assert parsed.items == items
    toc = blob[len(header) :]
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i)[1] for i in range(len(items))]
    assert all((len(header) + offset) % 16 == 0 for offset in offsets)


def test_a_blob_that_is_not_common_data_is_refused() -> None:
    with pytest.raises(ValueError, match="not ICU common data"):
        icu_data.parse_common_data(b"\x20\x00\xda\x27" + b"\0" * 8 + b"ResB" + b"\0" * 16)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/coll/ru.res", True),
        ("icudt73l/coll/root.res", True),
        ("icudt73l/en_GB.res", True),
        ("icudt73l/zone/pool.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/brkitr/word.brk", True),
        ("icudt73l/coll/de.res", False),
        ("icudt73l/sr_Latn_BA.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/ibm-1390_P110-2003.cnv", False),
        ("icudt73l/translit/ru_ru_Latn_BGN.res", False),
    ],
)
def test_items_kept_are_those_of_root_and_the_apps_languages(name: str, kept: bool) -> None:
    assert icu_data.wanted(name, frozenset({"en", "ru"})) is kept


def test_the_wheels_package_written_back_whole_is_the_same_bytes() -> None:
    _symbol, blob = icu_data.read_library_blob(wheel_icu_library())
    assert icu_data.write_common_data(icu_data.parse_common_data(blob)) == blob


PROBE = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
words = ["ёж", "еда", "Ёлка", "яма", "apple", "Zebra", "éclair", "Äpfel", "10", "9"]
moscow = QTimeZone(b"Europe/Moscow")
for name in ["en", "ru", "en_GB", "de", "zh"]:
    collator = QCollator(QLocale(name))
    collator.setNumericMode(True)
    print(name, sorted(words, key=collator.sortKey), QLocale(name).toUpper("ёлка straße"),
          moscow.displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale(name)))
"""


def probe(preload: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    return {line.split(" ", 1)[0]: line for line in done.stdout.splitlines()}


def test_the_trimmed_library_answers_the_apps_languages_as_the_whole_one(tmp_path: Path) -> None:
    source = wheel_icu_library()
    target = tmp_path / source.name
    before, after = icu_data.trim_library(source, target, frozenset({"en", "ru"}))
    assert after < before / 4

    whole, trimmed = probe(None), probe(target)
    for name in ("en", "ru", "en_GB"):
        assert trimmed[name] == whole[name]
    assert "Москва" in trimmed["ru"]
    # Left out: German names fall back to root (English), the sort stays Unicode's.
    assert "Moskauer" in whole["de"] and "Moscow Standard Time" in trimmed["de"]
    assert trimmed["zh"].split("]")[0] == whole["zh"].split("]")[0]
