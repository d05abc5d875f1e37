"""The listed members of an input archive, packed into a few arrays instead of objects.

An :class:`~.model.ArchiveMember` is an object with three strings; an archive listed as
objects keeps them all for the whole job, and the queue of members still to do as many
again. Here each member is one row of flat arrays (names as UTF-8 in one blob), and an
ArchiveMember is made on demand when a row is asked for (bench_process.py measures the
memory).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from ..messages import Message
from ..model import ArchiveMember


class StringPack(Sequence[str]):
    """Strings stored end to end as UTF-8: 8 bytes of overhead each instead of ~50."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        blob = bytearray()
        ends = array("q")
        for text in strings:
            blob += text.encode("utf-8", "surrogatepass")
            ends.append(len(blob))
        self._blob = bytes(blob)
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._ends)
        end = self._ends[index]
        start = self._ends[index - 1] if index else 0
        return self._blob[start:end].decode("utf-8", "surrogatepass")


class MemberTable:
    """Every listed member of one archive, one row each, in the archive's order.

    Built once and never changed, so it can be read from any thread.
    """

    def __init__(
        self,
        *,
        indexes: array[int],
        paths: StringPack,
        sizes: array[int],
        compressed_sizes: array[int],
        stems: StringPack,
        reasons: dict[int, Message],
        zip_names: dict[int, str],
    ) -> None:
        """``reasons`` and ``zip_names`` hold only the rows that have one (skipped rows,
        names that were re-decoded), so the common row pays nothing for them."""
        self._indexes = indexes
        self._paths = paths
        self._sizes = sizes
        self._compressed = compressed_sizes
        self._stems = stems
        self._reasons = reasons
        self._zip_names = zip_names
        self.image_rows = array("q", (r for r in range(len(indexes)) if r not in reasons))

    def __len__(self) -> int:
        return len(self._indexes)

    @property
    def skipped_count(self) -> int:
        return len(self._reasons)

    def index(self, row: int) -> int:
        """The member index (its position in the zip's directory) of ``row``."""
        return self._indexes[row]

    def member(self, row: int) -> ArchiveMember:
        path = self._paths[row]
        reason = self._reasons.get(row)
        return ArchiveMember(
            index=self._indexes[row],
            zip_name=self._zip_names.get(row, path),
            path=path,
            size=self._sizes[row],
            compressed_size=self._compressed[row],
            kind="image" if reason is None else "skipped",
            skip=reason,
            output_stem=self._stems[row],
        )

    def all(self) -> MemberList:
        return MemberList(self, range(len(self)))

    def images(self) -> MemberList:
        return MemberList(self, self.image_rows)


class MemberList(Sequence[ArchiveMember]):
    """Some rows of a :class:`MemberTable`, read like the list of members it replaces.

    It compares equal to any sequence of equal members, and ``+``/``*`` give plain lists,
    so code written for ``list[ArchiveMember]`` keeps working.
    """

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __init__(self, table: MemberTable, rows: Sequence[int]) -> None:
        self._table = table
        self._rows = rows

    @property
    def table(self) -> MemberTable:
        return self._table

    @property
    def rows(self) -> Sequence[int]:
        """The table rows listed, in order (for building another list over the same table)."""
        return self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def indexes(self) -> Iterator[int]:
        """Each listed member's index, without making the members."""
        index = self._table.index
        return (index(row) for row in self._rows)

    def subset(self, rows: Iterable[int]) -> MemberList:
        """Another list over the same table (``rows`` are table rows, as in :attr:`rows`)."""
        return MemberList(self._table, array("q", rows))

    @overload
    def __getitem__(self, index: int) -> ArchiveMember: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArchiveMember]: ...

    def __getitem__(self, index: int | slice) -> ArchiveMember | list[ArchiveMember]:
        if isinstance(index, slice):
            return [self._table.member(row) for row in self._rows[index]]
        return self._table.member(self._rows[index])

    def __iter__(self) -> Iterator[ArchiveMember]:
        member = self._table.member
        for row in self._rows:
            yield member(row)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __add__(self, other: Iterable[ArchiveMember]) -> list[ArchiveMember]:
        return [*self, *other]

    def __mul__(self, times: int) -> list[ArchiveMember]:
        return list(self) * times

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"MemberList({list(self)!r})"
