"""Member-name decoding (cp866 and friends, UTF-8, the 0x7075 field) and output stems."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path
from zipfile import ZIP_STORED, ZipFile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilspill_desktop.core.inputs.names import (
    assign_output_stems,
    decode_member_names,
    plausibility,
    unicode_path_extra,
)
from tests import hostile_archives as hostile


def names_in(path: Path, encoding: str = "auto") -> list[str]:
    with ZipFile(path) as zf:
        return decode_member_names(zf.infolist(), encoding)


# ------------------------------------------------------------------- decoding


def test_russian_explorer_zip_comes_out_as_cyrillic(tmp_path: Path) -> None:
    path = hostile.cp866_zip(
        tmp_path / "ru.zip",
        {"Снимки/Каспий_001.png": b"a", "Снимки/Каспий_002.png": b"b", "отчёт.txt": b"c"},
    )
    with ZipFile(path) as zf:
        # The test zip really is what Explorer writes: cp866 bytes, no UTF-8 flag.
        assert all(info.flag_bits & 0x800 == 0 for info in zf.infolist())
        assert zf.infolist()[0].filename.startswith("æ¡¿¼¬¿/")
    assert names_in(path) == ["Снимки/Каспий_001.png", "Снимки/Каспий_002.png", "отчёт.txt"]


def test_a_single_short_cyrillic_name_is_still_recognised(tmp_path: Path) -> None:
    path = hostile.cp866_zip(tmp_path / "ru.zip", {"нефть.png": b"a", "scene_01.png": b"b"})
    assert names_in(path) == ["нефть.png", "scene_01.png"]


def test_western_european_names_choose_cp850_where_it_differs(tmp_path: Path) -> None:
    # Ø is 0x9D in cp850; cp437 reads that byte as ¥ and cp866 as Э.
    path = hostile.raw_name_zip(
        tmp_path / "dk.zip", [("Øresund/Østersø.png".encode("cp850"), b"a")]
    )
    assert names_in(path) == ["Øresund/Østersø.png"]


def test_names_the_same_in_cp437_and_cp850_stay_latin(tmp_path: Path) -> None:
    path = hostile.raw_name_zip(tmp_path / "de.zip", [("Größe_Übersicht.png".encode("cp437"), b"")])
    assert names_in(path) == ["Größe_Übersicht.png"]


def test_utf8_flagged_names_are_used_as_they_are(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "u.zip", {"Снимки/日本.png": b"a"})
    with ZipFile(path) as zf:
        assert zf.infolist()[0].flag_bits & 0x800
    assert names_in(path) == ["Снимки/日本.png"]


def test_utf8_bytes_without_the_flag_are_read_as_utf8(tmp_path: Path) -> None:
    path = hostile.raw_name_zip(
        tmp_path / "u.zip",
        [("Снимки/Каспий.png".encode(), b"a"), (b"plain.png", b"b")],
    )
    with ZipFile(path) as zf:
        assert zf.infolist()[0].flag_bits & 0x800 == 0
    assert names_in(path) == ["Снимки/Каспий.png", "plain.png"]


def test_macos_decomposed_names_are_normalised_to_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "café/été.png")
    path = hostile.zip_with_members(tmp_path / "mac.zip", {decomposed: b"a"})
    assert names_in(path) == ["café/été.png"]


def test_unicode_path_extra_field_wins_when_its_crc_matches(tmp_path: Path) -> None:
    path = hostile.unicode_extra_zip(
        tmp_path / "x.zip", "日本/画像.png", b"a", header_name=b"??/??.png"
    )
    with ZipFile(path) as zf:
        info = zf.infolist()[0]
        assert info.flag_bits & 0x800 == 0
        assert unicode_path_extra(info) == "日本/画像.png"
    assert names_in(path) == ["日本/画像.png"]


def test_unicode_path_extra_field_with_stale_crc_is_ignored(tmp_path: Path) -> None:
    path = hostile.unicode_extra_zip(
        tmp_path / "x.zip", "日本/画像.png", b"a", header_name=b"old/name.png", crc_matches=False
    )
    with ZipFile(path) as zf:
        assert unicode_path_extra(zf.infolist()[0]) is None
    assert names_in(path) == ["old/name.png"]


def test_explicit_encoding_replaces_the_guess(tmp_path: Path) -> None:
    path = hostile.cp866_zip(tmp_path / "ru.zip", {"Снимки.png": b"a"})
    assert names_in(path, "cp437") == ["æ¡¿¼¬¿.png"]
    assert names_in(path, "cp866") == ["Снимки.png"]
    # cp1251 is not among the guesses, but can be forced.
    path = hostile.raw_name_zip(tmp_path / "w.zip", [("Нефть.png".encode("cp1251"), b"a")])
    assert names_in(path, "cp1251") == ["Нефть.png"]
    assert names_in(path) != ["Нефть.png"]


def test_unknown_encoding_is_rejected(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "a.zip", {"a.png": b""})
    with pytest.raises(LookupError):
        names_in(path, "no-such-codec")


def test_plausibility_prefers_one_script_per_word() -> None:
    raw = "Снимки_Каспий".encode("cp866")
    scores = {enc: plausibility(raw.decode(enc)) for enc in ("cp437", "cp850", "cp866")}
    assert max(scores, key=lambda enc: scores[enc]) == "cp866"
    assert plausibility("Größe") > plausibility("GrФсe")
    assert plausibility("plain ascii") == 0


def test_names_with_ascii_only_are_untouched(tmp_path: Path) -> None:
    path = hostile.raw_name_zip(
        tmp_path / "a.zip", [(b"dir/sub/IMG_0001.PNG", b"a")], compression=ZIP_STORED
    )
    assert names_in(path) == ["dir/sub/IMG_0001.PNG"]


# --------------------------------------------------------------------- stems


def test_stems_drop_the_extension_and_keep_folders() -> None:
    assert assign_output_stems(["a/b/scene.tif", "x.png"]) == ["a/b/scene", "x"]


def test_inputs_differing_only_by_extension_get_distinct_stems() -> None:
    assert assign_output_stems(["a/x.jpg", "a/x.png", "a/x.tif"]) == ["a/x", "a/x_png", "a/x_tif"]


def test_inputs_differing_only_by_case_get_distinct_stems() -> None:
    assert assign_output_stems(["A/x.png", "a/X.png", "a/x.PNG"]) == ["A/x", "a/X_2", "a/x_3"]


def test_generated_suffixes_never_take_a_real_inputs_name() -> None:
    stems = assign_output_stems(["x.jpg", "x.png", "x_png.png"])
    assert stems == ["x", "x_2", "x_png"]


def test_composed_and_decomposed_names_do_not_collide() -> None:
    composed = "été.png"
    decomposed = unicodedata.normalize("NFD", "été.jpg")
    stems = assign_output_stems([composed, decomposed])
    assert stems == ["été", "été_jpg"]


def test_a_file_stem_never_matches_another_stems_folder() -> None:
    stems = assign_output_stems(["a.png/b.png", "a.png"])
    assert stems[0] == "a.png/b"
    assert stems[1] != "a"  # masks/a.png would be the folder masks/a.png/
    assert f"{stems[1]}.png".casefold() != "a.png"


def test_windows_illegal_characters_and_reserved_names_are_sanitised() -> None:
    stems = assign_output_stems(
        ['q<u>o:t"e|s?*.png', "CON.png", "nul/aux.tif", "lpt1.x.png", "tab\there.png", "dot..png"]
    )
    assert stems == ["q_u_o_t_e_s__", "CON_", "nul_/aux_", "lpt1_.x", "tab_here", "dot_"]


def test_dangerous_components_are_dropped_or_neutralised() -> None:
    stems = assign_output_stems(["../../etc/x.png", "/abs/y.png", "./z.png", "a\\b.png", ".png"])
    assert stems == ["etc/x", "abs/y", "z", "a/b", "_png"]


def test_stems_are_deterministic() -> None:
    paths = ["b/X.png", "b/x.jpg", "a/y.tif", "B/x.png"]
    assert assign_output_stems(paths) == assign_output_stems(list(paths))


def test_overlong_components_are_shortened_on_a_character_boundary() -> None:
    (stem,) = assign_output_stems(["Ж" * 200 + ".png"])
    assert len(stem.encode("utf-8")) <= 120
    assert set(stem) == {"Ж"}


_ILLEGAL = set('<>:"|?*\\') | {chr(c) for c in range(32)}
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}

path_text = st.lists(
    st.text(alphabet=string.ascii_letters[:4] + "АаЁё.:_ \\/<>\x01", min_size=0, max_size=6),
    min_size=1,
    max_size=3,
).map("/".join)
extension = st.sampled_from([".png", ".PNG", ".jpg", ".tif", ".tiff", ""])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(path_text, extension).map("".join), min_size=1, max_size=12))
def test_stems_are_unique_and_portable_for_any_input(paths: list[str]) -> None:
    stems = assign_output_stems(paths)
    assert len(stems) == len(paths)
    keys = [unicodedata.normalize("NFC", s).casefold() for s in stems]
    assert len(set(keys)) == len(keys)
    folders = {k.rsplit("/", i)[0] for k in keys for i in range(1, k.count("/") + 1)}
    assert not any(f"{k}.png" in folders for k in keys)
    for stem in stems:
        for part in stem.split("/"):
            assert part, stem
            assert not (_ILLEGAL & set(part)), stem
            assert part not in (".", "..") and not part.startswith(".")
            assert not part.endswith((" ", "."))
            assert part.split(".")[0].upper() not in _RESERVED
