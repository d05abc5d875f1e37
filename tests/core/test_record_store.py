"""Records kept on disk with only a status byte and an offset per member in memory."""

from __future__ import annotations

import gc
import tempfile
import threading
import tracemalloc
from pathlib import Path

import pytest

from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.messages import plain, say
from oilspill_desktop.core.model import ItemRecord, ItemStatus


def full_record(index: int, status: ItemStatus = ItemStatus.OK) -> ItemRecord:
    return ItemRecord(
        path=f"Снимки/scene_{index:05d}.png",
        status=status,
        error=None if status is ItemStatus.OK else "The endpoint said no.\nTwice.",
        width=256,
        height=128,
        oil_pixels=index,
        oil_fraction=index / 32768,
        mask=f"masks/scene_{index:05d}.png",
        overlay=f"overlays/scene_{index:05d}.png",
        attempts=2,
        elapsed_ms=31,
        kind="classes",
        warnings=[
            say("warn.mask_resized", got_width=8, got_height=6, width=16, height=12),
            plain("odd \ud800 surrogate"),
        ],
        member_index=index,
    )


def test_records_read_back_equal_and_the_latest_wins() -> None:
    store = RecordStore(10)
    first = full_record(3, ItemStatus.FAILED)
    assert store.put(first) is None
    assert store[3] == first
    again = full_record(3)
    assert store.put(again) is ItemStatus.FAILED
    assert store[3] == again and store.status(3) is ItemStatus.OK
    store.put(full_record(7))
    store.put(full_record(0, ItemStatus.FAILED))
    assert list(store) == [0, 3, 7] and len(store) == 3
    assert [r.member_index for r in store.values()] == [0, 3, 7]
    assert 3 in store and 4 not in store and "3" not in store
    assert store.get(4) is None
    with pytest.raises(KeyError):
        store[4]


def test_remove_and_indexes_outside_the_capacity() -> None:
    store = RecordStore(4)
    store.put(full_record(2))
    outside = full_record(99, ItemStatus.FAILED)
    negative = ItemRecord(path="x.png", status=ItemStatus.OK)  # member_index -1
    store.put(outside)
    store.put(negative)
    assert store[99] == outside and store[-1] == negative
    assert list(store) == [-1, 2, 99]
    assert store.remove(2) is ItemStatus.OK and store.remove(2) is None
    assert store.remove(99) is ItemStatus.FAILED
    assert list(store) == [-1] and len(store) == 1 and store.status(2) is None


def test_a_failing_temporary_file_keeps_records_in_memory(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_space(*_args: object, **_kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_space)
    store = RecordStore(5)
    records = [full_record(i, ItemStatus.OK if i % 2 else ItemStatus.FAILED) for i in range(5)]
    for record in records:
        store.put(record)
    assert list(store.values()) == records
    assert any("in memory" in r.getMessage() for r in caplog.records)


def test_memory_is_a_few_bytes_per_member_not_per_record() -> None:
    count = 5000
    tracemalloc.start()
    try:
        store = RecordStore(count)
        for index in range(count):
            store.put(full_record(index))
        gc.collect()
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert store[count - 1] == full_record(count - 1)
    # 9 bytes per member plus the file object's buffers; a record object is ~900 bytes.
    assert kept < count * 9 + 64 * 1024


def test_the_temporary_file_goes_away_with_the_store(tmp_path: Path) -> None:
    tempfile.tempdir = str(tmp_path)
    try:
        store = RecordStore(2)
        store.put(full_record(1))
    finally:
        tempfile.tempdir = None
    spool = store._spool
    assert spool is not None and not spool.closed
    del store
    gc.collect()
    assert spool.closed
    again = RecordStore(2)
    again.put(full_record(0))
    again.close()
    assert len(again) == 0 and again.get(0) is None


def test_readers_and_a_writer_at_once() -> None:
    store = RecordStore(2000)
    for index in range(0, 2000, 2):
        store.put(full_record(index))
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(3):
                for index in range(0, 2000, 2):
                    assert store[index].member_index == index
        except BaseException as error:  # reported below
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    for index in range(1, 2000, 2):
        store.put(full_record(index, ItemStatus.FAILED))
    for thread in readers:
        thread.join()
    assert errors == []
    assert [store.status(i) for i in (0, 1)] == [ItemStatus.OK, ItemStatus.FAILED]
