"""Member names as the user's archiver meant them, and output names that never collide.

Zip names written without the UTF-8 flag are bytes in whatever OEM code page the archiver's
machine used; Python shows them as cp437, so a Russian Explorer zip reads as ``æ¡¿¼¬¿``.
We recover the raw bytes and pick the code page that makes the archive's names read as
words. Output stems are made unique case-insensitively because results are extracted on
Windows and macOS, where ``A.png`` and ``a.png`` are the same file.
"""

from __future__ import annotations

import codecs
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from zipfile import ZipInfo

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA = 0x7075

# Tried in this order; on a tie the earlier one wins. cp437 is what the zip specification
# says, cp850 is Western-European Windows, cp866 is Russian Windows Explorer.
LEGACY_ENCODINGS: tuple[str, ...] = ("cp437", "cp850", "cp866")

_WINDOWS_ILLEGAL = frozenset('<>:"|?*')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
    | {"CONIN$", "CONOUT$"}
)
# Room for a de-duplication suffix and an extension within the 255-byte limit that most
# file systems put on one path component.
_MAX_COMPONENT_BYTES = 120


def raw_name(info: ZipInfo) -> bytes:
    """The name's bytes exactly as stored, for a name written without the UTF-8 flag."""
    return info.orig_filename.encode("cp437")


def unicode_path_extra(info: ZipInfo) -> str | None:
    """The Info-ZIP Unicode Path (0x7075) name, if present and written for this very name.

    The field carries a CRC of the header name it translates; a stale field (the name was
    renamed by a tool that did not know the field) fails the check and is ignored.
    """
    extra = info.extra
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag != UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        (name_crc,) = struct.unpack_from("<I", body, 1)
        if name_crc != zlib.crc32(raw_name(info)):
            return None
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _script(ch: str) -> str:
    """A rough Unicode script name: the first word of the character's name (LATIN, ...)."""
    if ch.isascii():
        return "LATIN"
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def plausibility(text: str) -> int:
    """Score how much ``text`` looks like real words; higher is more plausible.

    Every non-ASCII letter scores +1 and every other non-ASCII character -1; a word that
    mixes scripts (Greek inside Latin, as cp437 makes of Cyrillic) loses two points per
    non-ASCII letter, so a consistent decoding beats one that merely produces letters.
    """
    score = 0
    word: list[str] = []
    for ch in [*text, " "]:
        if ch.isalpha():
            word.append(ch)
            continue
        if word:
            foreign = sum(1 for c in word if not c.isascii())
            score += foreign
            if len({_script(c) for c in word}) > 1:
                score -= 2 * foreign
            word = []
        if not ch.isascii():
            score -= 1
    return score


def _choose_legacy_encoding(raw_names: Sequence[bytes]) -> str:
    """The legacy code page under which all these names, together, read most like words."""
    best, best_score = LEGACY_ENCODINGS[0], None
    for encoding in LEGACY_ENCODINGS:
        score = sum(plausibility(raw.decode(encoding)) for raw in raw_names)
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


def check_encoding(encoding: str) -> str:
    """Return the canonical codec name; raise ``LookupError`` for an unknown one."""
    if encoding == "auto":
        return encoding
    return codecs.lookup(encoding).name


def decode_member_names(infos: Sequence[ZipInfo], encoding: str = "auto") -> list[str]:
    """Each member's name as its archiver meant it, NFC-normalised, in the order given.

    Names flagged UTF-8 are used as they are. For the others, a matching Unicode Path
    extra field wins; then, with ``encoding="auto"``, a name that is valid UTF-8 is taken
    as UTF-8 (many tools forget the flag) and the rest share the legacy code page that
    reads best across the whole archive. An explicit ``encoding`` replaces both guesses.
    Like :mod:`zipfile`, a name is cut at its first NUL character.
    """
    encoding = check_encoding(encoding)
    names: list[str | None] = []
    legacy: dict[int, bytes] = {}
    for i, info in enumerate(infos):
        if info.flag_bits & UTF8_FLAG:
            names.append(info.orig_filename)
            continue
        from_extra = unicode_path_extra(info)
        if from_extra is not None:
            names.append(from_extra)
            continue
        raw = raw_name(info)
        if raw.isascii():
            names.append(raw.decode("ascii"))
        elif encoding != "auto":
            names.append(raw.decode(encoding, errors="replace"))
        else:
            try:
                names.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                names.append(None)
                legacy[i] = raw
    if legacy:
        chosen = _choose_legacy_encoding(list(legacy.values()))
        for i, raw in legacy.items():
            names[i] = raw.decode(chosen)
    result: list[str] = []
    for name in names:
        assert name is not None
        result.append(unicodedata.normalize("NFC", name.split("\x00", 1)[0]))
    return result


def _sanitise_component(part: str, *, last: bool) -> str:
    """Make one path component legal and harmless on Windows, macOS and Linux."""
    encoded = part.encode("utf-8")
    if len(encoded) > _MAX_COMPONENT_BYTES:
        part = encoded[:_MAX_COMPONENT_BYTES].decode("utf-8", errors="ignore")
    part = "".join(
        "_" if ch in _WINDOWS_ILLEGAL or ord(ch) < 32 or ord(ch) == 127 else ch for ch in part
    )
    # Windows drops trailing dots and spaces, so "a." and "a" would be the same file.
    stripped = part.rstrip(". ")
    if stripped != part:
        part = stripped + "_"
    if part.startswith("."):
        part = "_" + part[1:]  # no hidden files, and never "." or ".."
    if part.split(".", 1)[0].upper() in _WINDOWS_RESERVED:
        head, dot, tail = part.partition(".")
        part = f"{head}_{dot}{tail}"
    return part or ("image" if last else "_")


def _split_stem(path: str) -> tuple[str, str]:
    """Split ``path`` into its sanitised stem and its lower-case, alphanumeric extension."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        parts = ["image"]
    *folders, filename = parts
    dot = filename.rfind(".")
    ext = ""
    if dot > 0:
        filename, ext = filename[:dot], filename[dot + 1 :].lower()
        ext = "".join(ch for ch in ext if ch.isalnum())  # it may become part of a name
    clean = [_sanitise_component(p, last=False) for p in folders]
    clean.append(_sanitise_component(filename, last=True))
    return unicodedata.normalize("NFC", "/".join(clean)), ext


def _key(stem: str) -> str:
    """Two stems collide on disk when their keys are equal (case- and NFC/NFD-blind)."""
    return unicodedata.normalize("NFC", stem).casefold()


def assign_output_stems(paths: Sequence[str]) -> list[str]:
    """Unique, portable relative stems (forward slashes, no extension), one per path.

    The first path to claim a stem keeps it; a later one that differs only by extension
    gets ``_<ext>`` (``a/x.jpg``, ``a/x.png`` -> ``a/x``, ``a/x_png``), otherwise ``_2``,
    ``_3``... Stems of the input's own names are reserved before any suffix is chosen, so a
    generated name never takes a real one. A stem is also kept from matching a folder of
    another stem once ``.png`` or ``.jpg`` is added (``a`` beside ``a.png/b``).
    """
    split = [_split_stem(p) for p in paths]
    base_keys = {_key(stem) for stem, _ in split}
    taken: set[str] = set()
    first_ext: dict[str, str] = {}
    stems: list[str] = []
    for stem, ext in split:
        key = _key(stem)

        def free(candidate: str) -> bool:
            return _key(candidate) not in taken and _key(candidate) not in base_keys

        chosen = stem
        if key in taken:
            if ext and ext != first_ext.get(key) and free(f"{stem}_{ext}"):
                chosen = f"{stem}_{ext}"
            else:
                n = 2
                while not free(f"{stem}_{n}"):
                    n += 1
                chosen = f"{stem}_{n}"
        first_ext.setdefault(key, ext)
        taken.add(_key(chosen))
        stems.append(chosen)
    return _avoid_folder_clashes(stems)


def _avoid_folder_clashes(stems: list[str]) -> list[str]:
    """Rename a stem whose output file would have the same name as another stem's folder."""
    folders = {_key("/".join(s.split("/")[:i])) for s in stems for i in range(1, s.count("/") + 1)}
    taken = {_key(s) for s in stems}
    result = []
    for stem in stems:
        if _clashes_with_folder(stem, folders):
            n = 2
            while _key(f"{stem}_{n}") in taken or _clashes_with_folder(f"{stem}_{n}", folders):
                n += 1
            renamed = f"{stem}_{n}"
            taken.add(_key(renamed))
            result.append(renamed)
        else:
            result.append(stem)
    return result


def _clashes_with_folder(stem: str, folders: set[str]) -> bool:
    return any(_key(stem + ext) in folders for ext in (".png", ".jpg"))
