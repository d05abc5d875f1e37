"""ICU's data for the Linux bundle, cut down to what the app's languages use.

PySide6's Linux wheels carry ICU with every locale of the world built in
(``libicudata.so.<n>``: one read-only blob, ``icudt<n>_dat``, in ICU's "common data"
format). Qt asks ICU for collation (sorting names), locale case mapping, time-zone display
names and character-set converters; the app speaks English and Russian, handles its text
as Unicode and reads no legacy-encoded files. So the blob is rewritten with what those
calls need for ``root`` (ICU's fallback for every other locale) and the app's languages:
normalisation, case and property tables, collation rules, zone and calendar data, break
rules. Left out: other locales' bundles, legacy converters (``*.cnv``), dictionary-based
word breaking for Chinese, Japanese, Thai, Khmer, Lao and Burmese (``*.dict``),
transliteration and spoof checks. For a user whose system locale is left out ICU falls
back to root: Unicode's default collation order and root names.

The rewritten blob goes into a library of the same soname exporting the same symbol, made
with binutils' ``as`` and ``ld`` (the build already needs binutils). ICU finds items by a
binary search over their names, which stay in the original (sorted) order, each item at
16-byte alignment as ``icupkg`` lays them out.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

ALIGNMENT = 16
PADDING = b"\xaa"  # what icupkg fills alignment gaps with
# Bundles named like a locale ("de", "sr_Latn", "zh_Hant_TW"); "root", "pool" (shared
# strings of a tree) and data such as "supplementalData" are not locales.
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_\w+)?$")
# Kinds of item nothing in Qt's use of ICU opens (see the module docstring).
UNUSED_EXTENSIONS = frozenset({"cnv", "dict", "cfu"})
UNUSED_TREES = frozenset({"translit"})


class CommonData(NamedTuple):
    """An ICU common-data package: its header as it was, and its named items in order."""

    header: bytes
    items: list[tuple[str, bytes]]


def parse_common_data(blob: bytes) -> CommonData:
    """Split a common-data blob (``CmnD``) into its header and items."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("not ICU common data (magic or format is wrong)")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * index) for index in range(count)]
    ends = [offset for _name, offset in entries[1:]] + [len(toc)]
    items = []
    for (name_offset, data_offset), end in zip(entries, ends, strict=True):
        name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
        items.append((name, toc[data_offset:end]))
    return CommonData(blob[:header_size], items)


def _aligned(offset: int) -> int:
    return -(-offset // ALIGNMENT) * ALIGNMENT


def write_common_data(data: CommonData) -> bytes:
    """The blob for ``data``: table of contents, names, then items 16-byte aligned.

    Each item's bytes already end on the padding its successor needs, as ``icupkg`` left
    them, so a package written back whole is the same bytes.
    """
    count = len(data.items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _item in data.items)
    names_offset = 4 + 8 * count
    offset = _aligned(names_offset + len(names))
    entries, name_offset, body = [], names_offset, bytearray()
    for name, item in data.items:
        entries.append(struct.pack("<II", name_offset, offset + len(body)))
        name_offset += len(name) + 1
        body += item
        body += PADDING * (_aligned(len(body)) - len(body))
    toc = struct.pack("<I", count) + b"".join(entries) + names
    toc += PADDING * (offset - len(toc))
    return data.header + toc + bytes(body)


def wanted(name: str, languages: frozenset[str]) -> bool:
    """Whether the item ``name`` (``icudt73l/coll/ru.res``) serves ``languages``."""
    parts = name.split("/")[1:]
    stem, _dot, extension = parts[-1].rpartition(".")
    if parts[0] in UNUSED_TREES or extension in UNUSED_EXTENSIONS:
        return False
    if extension == "res" and LOCALE_NAME.match(stem):
        return stem == "root" or stem.split("_")[0] in languages
    return True


def _run(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _data_symbol(library: Path) -> tuple[str, int, int]:
    """Name, address and size of the library's ``icudt<n>_dat``."""
    for line in _run(["nm", "-D", "-S", "--defined-only", str(library)]).splitlines():
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(r"icudt\d+_dat", fields[3]):
            return fields[3], int(fields[0], 16), int(fields[1], 16)
    raise ValueError(f"{library.name} exports no icudt<n>_dat")


def _file_offset(library: Path, address: int) -> int:
    """Where the byte loaded at ``address`` is in the file (from the LOAD segments)."""
    for line in _run(["readelf", "-l", "-W", str(library)]).splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, vaddr, filesz = int(fields[1], 16), int(fields[2], 16), int(fields[4], 16)
            if vaddr <= address < vaddr + filesz:
                return offset + address - vaddr
    raise ValueError(f"{library.name}: address {address:#x} is in no LOAD segment")


def read_library_blob(library: Path) -> tuple[str, bytes]:
    """The data symbol's name and its bytes, read from the library file."""
    symbol, address, size = _data_symbol(library)
    with library.open("rb") as file:
        file.seek(_file_offset(library, address))
        return symbol, file.read(size)


def _soname(library: Path) -> str:
    dynamic = _run(["readelf", "-d", str(library)])
    found = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
    if not found:
        raise ValueError(f"{library.name} has no soname")
    return found.group(1)


def build_library(blob: bytes, symbol: str, soname: str, target: Path) -> None:
    """A shared library named ``soname`` whose read-only ``symbol`` holds ``blob``."""
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        (work / "data.bin").write_bytes(blob)
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGNMENT}\n"
            f'{symbol}:\n\t.incbin "data.bin"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(target), "data.o"],
            cwd=work,
            check=True,
        )


def trim_library(source: Path, target: Path, languages: frozenset[str]) -> tuple[int, int]:
    """Write ``source`` cut down to ``languages`` as ``target``; sizes before and after."""
    missing = [tool for tool in ("nm", "readelf", "as", "ld") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"icu_data: binutils needed ({', '.join(missing)} not found)")
    symbol, blob = read_library_blob(source)
    data = parse_common_data(blob)
    kept = [(name, item) for name, item in data.items if wanted(name, languages)]
    target.parent.mkdir(parents=True, exist_ok=True)
    build_library(write_common_data(CommonData(data.header, kept)), symbol, _soname(source), target)
    return source.stat().st_size, target.stat().st_size
