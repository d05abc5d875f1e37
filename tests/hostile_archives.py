"""Builders for odd, broken and hostile zip files and for test images, shared by the tests.

Everything is built in memory or under a caller-given path (``tmp_path``), deterministic,
and small on disk: the "300 MB" bomb is ~300 KB because zeros compress a thousandfold.
Header fields are patched by parsing the zip structures, never by searching for bytes,
so a patch cannot land in member data by accident.
"""

from __future__ import annotations

import io
import stat
import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

import numpy as np
import numpy.typing as npt
from PIL import Image, TiffImagePlugin, TiffTags

MiB = 1024 * 1024

_EOCD = b"PK\x05\x06"
_CD_STRUCT = struct.Struct("<4s6H3L5H2L")  # central directory file header, 46 bytes
_LOCAL_STRUCT = struct.Struct("<4s5H3L2H")  # local file header, 30 bytes
_EOCD_STRUCT = struct.Struct("<4s4H2LH")


# ----------------------------------------------------------------------------- zips


def zip_with_members(
    path: Path,
    members: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
    *,
    compression: int = ZIP_DEFLATED,
) -> Path:
    """A plain zip with the given names (any str; non-ASCII gets the UTF-8 flag) and data."""
    items = members.items() if isinstance(members, Mapping) else members
    with ZipFile(path, "w", compression=compression) as zf:
        for name, data in items:
            zf.writestr(ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compression)
    return path


def deflate64_zip(path: Path, members: Mapping[str, bytes], *, cut: bool = False) -> Path:
    """Members compressed with Deflate64 (method 9), as Windows Explorer writes big zips.

    zipfile cannot write Deflate64: each member's Deflate64 stream is stored, then its
    headers are made to say method 9, the unpacked size and the unpacked data's CRC.
    ``cut`` keeps only the first half of each stream, as a copy interrupted midway.
    """
    import inflate64

    packed = {}
    for name, data in members.items():
        deflater = inflate64.Deflater()
        stream = deflater.deflate(data) + deflater.flush()
        packed[name] = stream[: len(stream) // 2] if cut else stream
    zip_with_members(path, packed, compression=ZIP_STORED)
    for name, data in members.items():
        set_method(path, name, 9)
        _patch(path, name, "crc", zlib.crc32(data))
        _patch(path, name, "file_size", len(data))
    return path


def raw_name_zip(
    path: Path,
    members: Sequence[tuple[bytes, bytes]],
    *,
    compression: int = ZIP_DEFLATED,
) -> Path:
    """A zip whose names are exactly the given bytes, stored WITHOUT the UTF-8 flag.

    :mod:`zipfile` would flag any non-ASCII name as UTF-8, so each member is written
    under an ASCII placeholder of the same byte length and the name is then patched into
    both its local header and its central directory entry.
    """
    zip_with_members(
        path,
        [(_placeholder(i, raw), data) for i, (raw, data) in enumerate(members)],
        compression=compression,
    )
    _patch_names(path, [raw for raw, _ in members])
    return path


def _placeholder(index: int, raw: bytes) -> str:
    placeholder = f"{index:0{max(len(raw), 1)}d}"
    assert len(placeholder) == len(raw), "name too short for a unique placeholder"
    return placeholder


def _patch_names(path: Path, raw_names: Sequence[bytes]) -> None:
    blob = bytearray(path.read_bytes())
    for entry, raw in zip(_entries(blob), raw_names, strict=True):
        assert len(entry.name) == len(raw)
        blob[entry.cd_name : entry.cd_name + len(raw)] = raw
        blob[entry.local_name : entry.local_name + len(raw)] = raw
    path.write_bytes(bytes(blob))


def cp866_zip(path: Path, members: Mapping[str, bytes]) -> Path:
    """What Windows Explorer on Russian Windows makes: cp866 names, no UTF-8 flag."""
    return raw_name_zip(path, [(name.encode("cp866"), data) for name, data in members.items()])


def unicode_path_extra(name: str, header_name: bytes, *, crc_matches: bool = True) -> bytes:
    """An Info-ZIP Unicode Path (0x7075) extra field giving ``name`` for ``header_name``."""
    crc = zlib.crc32(header_name) ^ (0 if crc_matches else 0xFFFFFFFF)
    body = b"\x01" + struct.pack("<I", crc) + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def unicode_extra_zip(
    path: Path,
    name: str,
    data: bytes,
    *,
    header_name: bytes,
    crc_matches: bool = True,
) -> Path:
    """One member named ``header_name`` (no UTF-8 flag) with a 0x7075 field naming it ``name``.

    This is what Info-ZIP and 7-Zip write for legacy readers: a best-effort header name
    and the real one in the extra field, which zipfile copies into both headers.
    """
    info = ZipInfo(_placeholder(0, header_name), date_time=(2024, 1, 1, 0, 0, 0))
    info.extra = unicode_path_extra(name, header_name, crc_matches=crc_matches)
    with ZipFile(path, "w", ZIP_STORED) as zf:
        zf.writestr(info, data)
    _patch_names(path, [header_name])
    return path


def zeros_bomb_zip(
    path: Path,
    size: int,
    *,
    name: str = "bomb.png",
    extra: Mapping[str, bytes] | None = None,
    level: int = 1,
) -> Path:
    """A member of ``size`` zero bytes, streamed in 1 MiB chunks (never held in memory).

    Level 1 builds 300 MB in about half a second at a ratio of ~230:1; level 9 reaches
    ~1000:1 but takes three times as long.
    """
    chunk = bytes(MiB)
    with ZipFile(path, "w", ZIP_DEFLATED, compresslevel=level) as zf:
        for other, data in (extra or {}).items():
            zf.writestr(other, data)
        # A str name (not a ZipInfo) makes zipfile use the archive's Deflate level 1.
        with zf.open(name, "w") as out:
            left = size
            while left > 0:
                out.write(chunk[: min(left, MiB)])
                left -= MiB
    return path


def symlink_zip(path: Path, name: str, target: str, **others: bytes) -> Path:
    """A zip holding a Unix symbolic link ``name`` -> ``target`` (plus ordinary members)."""
    with ZipFile(path, "w", ZIP_DEFLATED) as zf:
        link = ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        link.create_system = 3  # Unix
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, target)
        for other, data in others.items():
            zf.writestr(other, data)
    return path


def truncated_copy(src: Path, dst: Path, keep: float | int = 0.5) -> Path:
    """The first part of ``src`` (a fraction, or a byte count): an interrupted download."""
    data = src.read_bytes()
    count = int(len(data) * keep) if isinstance(keep, float) else keep
    dst.write_bytes(data[:count])
    return dst


# ---------------------------------------------------------------------- header patches


@dataclass(frozen=True)
class _Entry:
    name: bytes
    cd: int  # offset of the central directory header
    local: int  # offset of the local header
    cd_name: int  # offset of the name inside the central directory header
    local_name: int
    data: int  # offset of the member's (compressed) data
    compressed_size: int


def _entries(blob: bytes | bytearray) -> list[_Entry]:
    eocd = bytes(blob).rfind(_EOCD)
    assert eocd >= 0, "no end-of-central-directory record"
    _, _, _, _, count, _, cd_offset, _ = _EOCD_STRUCT.unpack_from(blob, eocd)
    entries = []
    pos = cd_offset
    for _ in range(count):
        fields = _CD_STRUCT.unpack_from(blob, pos)
        name_len, extra_len, comment_len = fields[10], fields[11], fields[12]
        local = fields[16]
        local_fields = _LOCAL_STRUCT.unpack_from(blob, local)
        local_name_len, local_extra_len = local_fields[9], local_fields[10]
        entries.append(
            _Entry(
                name=bytes(blob[pos + 46 : pos + 46 + name_len]),
                cd=pos,
                local=local,
                cd_name=pos + 46,
                local_name=local + 30,
                data=local + 30 + local_name_len + local_extra_len,
                compressed_size=fields[8],
            )
        )
        pos += 46 + name_len + extra_len + comment_len
    return entries


def _patch(path: Path, name: str | bytes, fn: str, value: int) -> None:
    """Set one header field of member ``name`` in both headers (``or`` for flag bits)."""
    wanted = name.encode("utf-8") if isinstance(name, str) else name
    blob = bytearray(path.read_bytes())
    entries = [e for e in _entries(blob) if e.name == wanted]
    assert entries, f"no member {name!r}"
    # field -> (offset in central header, offset in local header, struct format)
    offsets = {
        "flags": (8, 6, "<H"),
        "method": (10, 8, "<H"),
        "crc": (16, 14, "<L"),
        "file_size": (24, 22, "<L"),
    }
    cd_off, local_off, fmt = offsets[fn]
    for entry in entries:
        for base, off in ((entry.cd, cd_off), (entry.local, local_off)):
            if fn == "flags":
                (old,) = struct.unpack_from(fmt, blob, base + off)
                struct.pack_into(fmt, blob, base + off, old | value)
            else:
                struct.pack_into(fmt, blob, base + off, value)
    path.write_bytes(bytes(blob))


def set_flag_bits(path: Path, name: str | bytes, mask: int) -> None:
    """OR ``mask`` into a member's general-purpose flags (0x800 claims a UTF-8 name)."""
    _patch(path, name, "flags", mask)


def set_encrypted_flag(path: Path, name: str | bytes) -> None:
    """Mark a member as encrypted (general-purpose flag bit 0) without encrypting it."""
    set_flag_bits(path, name, 0x1)


def corrupt_crc(path: Path, name: str | bytes) -> None:
    """Store a wrong CRC-32 for a member, as a flipped bit in transit would look."""
    with ZipFile(path) as zf:
        key = name if isinstance(name, str) else name.decode("cp437")
        crc = zf.getinfo(key).CRC
    _patch(path, name, "crc", crc ^ 0xDEADBEEF)


def set_method(path: Path, name: str | bytes, method: int) -> None:
    """Claim another compression method (e.g. 9, Deflate64, which zipfile cannot unpack)."""
    _patch(path, name, "method", method)


def set_declared_size(path: Path, name: str | bytes, size: int) -> None:
    """Make the headers lie about the unpacked size."""
    _patch(path, name, "file_size", size)


def corrupt_data(path: Path, name: str | bytes) -> None:
    """Overwrite the middle of a member's compressed data with garbage."""
    wanted = name.encode("utf-8") if isinstance(name, str) else name
    blob = bytearray(path.read_bytes())
    (entry,) = [e for e in _entries(blob) if e.name == wanted]
    start = entry.data + entry.compressed_size // 3
    length = max(1, entry.compressed_size // 3)
    blob[start : start + length] = bytes((b ^ 0xA5) for b in blob[start : start + length])
    path.write_bytes(bytes(blob))


# ---------------------------------------------------------------------------- images


def gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A deterministic image with varied content in any 8-bit mode PIL can convert to."""
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 255 // max(width - 1, 1)).astype(np.uint8)
    g = (y * 255 // max(height - 1, 1)).astype(np.uint8)
    b = ((x + y) * 7 % 256).astype(np.uint8)
    rgb = Image.fromarray(np.dstack([r, g, b]), mode="RGB")
    if mode == "RGB":
        return rgb
    if mode in ("RGBA", "LA", "PA"):
        alpha = Image.fromarray(((x * 255) // max(width - 1, 1)).astype(np.uint8), mode="L")
        base = rgb.convert({"RGBA": "RGB", "LA": "L", "PA": "P"}[mode]).convert(mode)
        base.putalpha(alpha)
        return base
    return rgb.convert(mode)


def image_bytes(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_bytes(width: int = 8, height: int = 6, mode: str = "RGB") -> bytes:
    return image_bytes(gradient(width, height, mode), "PNG")


def jpeg_bytes(
    width: int = 8, height: int = 6, mode: str = "RGB", *, orientation: int | None = None
) -> bytes:
    image = gradient(width, height, mode)
    if orientation is None:
        return image_bytes(image, "JPEG", quality=95)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes(image, "JPEG", quality=95, exif=exif.tobytes())


def bmp_bytes(width: int = 8, height: int = 6, mode: str = "RGB") -> bytes:
    return image_bytes(gradient(width, height, mode), "BMP")


def tiff_from_array(
    array: npt.NDArray[np.generic],
    *,
    mode: str | None = None,
    nodata: str | None = None,
    more_pages: Sequence[tuple[Image.Image, int]] = (),
) -> bytes:
    """A single-band TIFF of ``array`` (uint16 -> I;16, int32 -> I, float32 -> F).

    ``mode="I;16B"`` writes big-endian 16-bit. ``nodata`` sets the GDAL no-data tag.
    ``more_pages`` appends pages with the given NewSubfileType (1 = reduced-resolution
    overview, 0 = a real page).
    """
    if mode == "I;16B":
        height, width = array.shape
        image = Image.frombytes("I;16B", (width, height), array.astype(">u2").tobytes())
    else:
        image = Image.fromarray(array)
    info = TiffImagePlugin.ImageFileDirectory_v2()
    if nodata is not None:
        info[42113] = nodata
        info.tagtype[42113] = TiffTags.ASCII
    if not more_pages:
        return image_bytes(image, "TIFF", tiffinfo=info)
    appended = []
    for page, subfile_type in more_pages:
        copy = page.copy()
        copy.encoderinfo = {"tiffinfo": {254: subfile_type}}
        appended.append(copy)
    return image_bytes(image, "TIFF", tiffinfo=info, save_all=True, append_images=appended)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG signature and IHDR declaring a huge image, with no pixel data at all."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")
