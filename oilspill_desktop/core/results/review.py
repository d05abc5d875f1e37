"""The analyst's verdicts on a job's detections, kept in a small file beside the results zip.

A results zip is written once, when its job ends, and may be large; rewriting it for every
key press would be slow and would risk the results themselves. So each verdict (confirmed
oil, look-alike, unsure) and its note go to ``<results>.review.json`` beside it, replaced
atomically on every change. The zip's own reports say that they carry no verdicts; the
verdicts reach ``report.csv``/``report.json``/``report.html`` when the user exports them,
so no file ever shows a verdict that was not given, or hides one that was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from ..atomic import write_bytes_atomic
from ..errors import OilSpillError
from ..messages import say
from ..model import ItemRecord

FORMAT = 1
"""The version of the file's layout, written into it."""

ReviewKey = tuple[int, str]
"""Which image: the archive member's index and its path (as the report's rows give them)."""


class Verdict(Enum):
    CONFIRMED_OIL = "confirmed_oil"
    LOOK_ALIKE = "look_alike"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Review:
    verdict: Verdict | None
    """``None``: a note without a verdict yet."""
    note: str = ""
    at: str = ""
    """When it was given (ISO 8601, UTC)."""

    def to_json(self) -> dict[str, str | None]:
        return {
            "verdict": self.verdict.value if self.verdict else None,
            "note": self.note,
            "at": self.at,
        }


class ReviewError(OilSpillError):
    """The verdicts file exists but cannot be used; it is never overwritten then."""


def review_key(record: ItemRecord) -> ReviewKey:
    return (record.member_index, record.path)


def review_path(results: Path) -> Path:
    """``survey_results.zip`` → ``survey_results.review.json``, in the same folder."""
    return results.with_name(f"{results.stem}.review.json")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewFile:
    """The verdicts of one results zip: read once, saved whole after each change.

    ``input_sha256`` ties the file to the survey: a file beside results of another
    archive (a results zip replaced by one of a different input) is refused, not mixed in.
    """

    def __init__(self, path: Path, input_sha256: str) -> None:
        self.path = path
        self.input_sha256 = input_sha256
        self._reviews: dict[ReviewKey, Review] = {}

    @classmethod
    def open(cls, results: Path, input_sha256: str) -> ReviewFile:
        """The verdicts beside ``results``; none when there is no file yet.

        Raises :class:`ReviewError` for a file that cannot be read or is another survey's.
        """
        review = cls(review_path(results), input_sha256)
        try:
            data = json.loads(review.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return review
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ReviewError(
                say("review.unreadable", path=str(review.path), reason=reason)
            ) from exc
        review._reviews = review._parse(data)
        return review

    def _parse(self, data: object) -> dict[ReviewKey, Review]:
        unreadable = say("review.unreadable", path=str(self.path), reason="not a verdicts file")
        if not isinstance(data, dict) or not isinstance(data.get("reviews"), list):
            raise ReviewError(unreadable)
        sha = data.get("input_sha256")
        if sha and self.input_sha256 and sha != self.input_sha256:
            raise ReviewError(say("review.other_results", path=str(self.path)))
        found: dict[ReviewKey, Review] = {}
        try:
            for row in data["reviews"]:
                verdict = row.get("verdict")
                found[(int(row["member_index"]), str(row["path"]))] = Review(
                    Verdict(verdict) if verdict else None,
                    str(row.get("note") or ""),
                    str(row.get("at") or ""),
                )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ReviewError(unreadable) from exc
        return found

    def __len__(self) -> int:
        return len(self._reviews)

    def __iter__(self) -> Iterator[ReviewKey]:
        return iter(self._reviews)

    def get(self, key: ReviewKey) -> Review | None:
        return self._reviews.get(key)

    @property
    def reviews(self) -> Mapping[ReviewKey, Review]:
        return dict(self._reviews)

    def set(self, key: ReviewKey, verdict: Verdict | None, note: str) -> None:
        """Record a verdict and note for ``key`` (both empty: forget it) and save at once.

        On a write error (:class:`~..errors.OutputError`) the file and the verdicts in
        memory stay as they were.
        """
        changed = dict(self._reviews)
        if verdict is None and not note.strip():
            changed.pop(key, None)
        else:
            changed[key] = Review(verdict, note.strip(), now_utc())
        self._save(changed)
        self._reviews = changed

    def _save(self, reviews: Mapping[ReviewKey, Review]) -> None:
        rows = [
            {"member_index": index, "path": path, **review.to_json()}
            for (index, path), review in sorted(reviews.items())
        ]
        data = {"format": FORMAT, "input_sha256": self.input_sha256, "reviews": rows}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_bytes_atomic(self.path, text.encode("utf-8"))
