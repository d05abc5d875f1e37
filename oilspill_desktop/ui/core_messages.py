"""The core's sentences in the user's language.

The core (Qt-free) raises errors and writes records whose :class:`~..core.messages.Message`
holds an English sentence, a code and its parameters. Here each code has its English
template once more, inside a literal ``self.tr(...)``
call so that ``pyside6-lupdate`` puts it in the ``.ts`` files; the Russian lives there.
A plural takes its count from the ``count`` parameter through Qt's ``%n`` forms (the
English catalogue spells "1 image" / "2 images"). A code this table does not know, or a
translation that no longer fits its parameters, shows the English text: a user never
sees less than the report says. ``tests/gui/test_core_messages.py`` keeps this table and
the core's catalogue in step.
"""

# Each source string stays one literal, however long: that is what lupdate reads.
# ruff: noqa: E501

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject

from ..core.messages import Message
from ..core.model import ItemRecord

log = logging.getLogger(__name__)


class CoreMessages(QObject):
    """The translation context of the core's sentences: lupdate reads its ``tr`` calls."""

    def sources(self) -> dict[str, Callable[[int], str]]:
        """Each code's English template, translated when called (``n``: the count)."""
        return {
            "image.undecodable": lambda n: self.tr("The image could not be decoded: {reason}."),
            "image.empty": lambda n: self.tr(
                "The image could not be decoded: the member is empty."
            ),
            "image.unsupported": lambda n: self.tr(
                "The image could not be decoded: the data is not a PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP image.",
            ),
            "image.jp2_undecodable": lambda n: self.tr(
                "The JPEG 2000 image could not be decoded by OpenJPEG: {reason}. Convert it to GeoTIFF (for example with gdal_translate) and process that.",
            ),
            "image.tiff_codec": lambda n: self.tr(
                "The TIFF is compressed with {codec}, which this program cannot decode for {samples} samples of {bits} bits per pixel; save it with Deflate, LZW or no compression.",
            ),
            "image.too_many_bytes": lambda n: self.tr(
                "The image's {samples} samples of {bits} bits per pixel need {size} of memory, above the limit of {limit} (8 bytes for each pixel the limits allow).",
            ),
            "image.flat": lambda n: self.tr(
                "The image decodes to a picture of the single value {value} everywhere, although its data are not all one value (perhaps all no-data); it is not segmented as a blank picture.",
            ),
            "image.flat_png16": lambda n: self.tr(
                "The 16-bit colour PNG decodes to a picture of one single value: only the high byte of each 16-bit value can be read, and this image's values lie below it. Save it as 16-bit grey PNG, 8-bit colour or TIFF.",
            ),
            "image.no_memory": lambda n: self.tr(
                "The image could not be decoded: there is not enough memory for its pixels."
            ),
            "image.too_many_pixels": lambda n: self.tr(
                "The image is {width} × {height} = {pixels} pixels, above the limit of {limit} pixels.",
            ),
            "image.too_many_windows": lambda n: self.tr(
                "The image is {width} × {height} pixels: {windows} windows, above the limit of "
                "{limit} windows a large scene may hold."
            ),
            "image.window_failed": lambda n: self.tr(
                "Window {window} of {windows} (rows {rows}, columns {columns}) of the scene could "
                "not be segmented: {reason}."
            ),
            "scene.window_failed": lambda n: self.tr(
                "Window {window} of {windows} (rows {rows}, columns {columns}) of the scene could "
                "not be segmented: {reason}."
            ),
            "image.bomb": lambda n: self.tr(
                "The image is {pixels} pixels, above the imaging library's own safety limit of {limit} pixels.",
            ),
            "member.too_large": lambda n: self.tr(
                "The member is {size} once unpacked, above the {limit} limit."
            ),
            "member.ratio": lambda n: self.tr(
                "The member would unpack from {packed} to {size} (a ratio of {ratio} to 1), above the limit of {limit} to 1; it looks like a zip bomb.",
            ),
            "member.overflow": lambda n: self.tr(
                "The member unpacks to more than {limit}, above the limit; its header understated its size.",
            ),
            "member.bomb": lambda n: self.tr(
                "The member unpacks to more than {ratio} times its compressed size of {packed}; it looks like a zip bomb.",
            ),
            "member.damaged": lambda n: self.tr(
                "The member is damaged: its compressed data cannot be unpacked ({reason})."
            ),
            "member.truncated": lambda n: self.tr(
                "The member is cut short: the archive ends before its data does."
            ),
            "member.encrypted": lambda n: self.tr("The member is password-protected."),
            "member.unreadable": lambda n: self.tr("The archive could not be read: {reason}."),
            "skip.name_nul": lambda n: self.tr("unsafe name: contains a NUL character"),
            "skip.name_absolute": lambda n: self.tr("unsafe name: absolute path"),
            "skip.name_backslash": lambda n: self.tr("unsafe name: contains a backslash"),
            "skip.name_parent": lambda n: self.tr("unsafe name: contains a '..' component"),
            "skip.symlink": lambda n: self.tr("symbolic link"),
            "skip.nested_archive": lambda n: self.tr(
                "nested archive; unpack it and add it separately"
            ),
            "skip.unsupported_image": lambda n: self.tr(
                "unsupported image type ({suffix}); convert it to PNG, JPEG or TIFF"
            ),
            "skip.not_image": lambda n: self.tr("not an image ({suffix})"),
            "skip.no_extension": lambda n: self.tr("not an image (no extension)"),
            "skip.encrypted": lambda n: self.tr("password-protected"),
            "item.not_processed": lambda n: self.tr(
                "Not processed: the job was stopped before this image."
            ),
            "item.no_memory": lambda n: self.tr(
                "There was not enough memory to process this image."
            ),
            "item.unexpected": lambda n: self.tr("Unexpected error: {reason}"),
            "engine.failed": lambda n: self.tr("The engine failed: {detail}."),
            "engine.rejected": lambda n: self.tr("The engine rejected the request: {detail}."),
            "engine.redirected": lambda n: self.tr("The engine redirected the request: {detail}."),
            "engine.unreachable": lambda n: self.tr("The engine could not be reached: {detail}."),
            "engine.no_answer": lambda n: self.tr("The engine did not answer: {detail}."),
            "engine.unusable": lambda n: self.tr("The engine could not be used: {detail}."),
            "engine.not_a_picture": lambda n: self.tr(
                "The engine did not answer with a picture: {detail}."
            ),
            "engine.unreadable_answer": lambda n: self.tr(
                "The engine's answer is not a readable picture: {detail}."
            ),
            "engine.unusable_answer": lambda n: self.tr(
                "The engine's answer is not a usable picture: {detail}."
            ),
            "engine.never_answered": lambda n: self.tr(
                "The engine could not be reached: {detail}; no request was ever answered, so the job stopped after %n attempt(s).",
                "",
                n,
            ),
            "engine.outage_too_long": lambda n: self.tr(
                "The engine stayed unreachable for {minutes} minutes ({reason}); the job stopped waiting for it.",
            ),
            "engine.bad_url": lambda n: self.tr(
                "The engine address {endpoint} is not a valid URL ({reason})."
            ),
            "engine.not_http_url": lambda n: self.tr(
                "The engine address {endpoint} is not an http:// or https:// URL with a host name."
            ),
            "engine.bad_token": lambda n: self.tr(
                "The API token holds characters that cannot be sent in an HTTP header; paste it again without line breaks or accented letters."
            ),
            "engine.bad_ca_bundle": lambda n: self.tr(
                "The CA bundle {path} could not be loaded ({reason}); check the path in the settings."
            ),
            "engine.no_memory": lambda n: self.tr(
                "The built-in engine ran out of memory on this {width}x{height} image."
            ),
            "engine.not_the_image_sent": lambda n: self.tr(
                "The engine's annotated picture is not a copy of the image sent: {share} of its pixels outside the painted slicks differ from it. It may be another image's answer (a service mixing up uploads), so no mask was derived from it."
            ),
            "engine.bad_endpoint_list": lambda n: self.tr(
                "The list of further endpoints in the settings could not be read: {reason}."
            ),
            "server.image_failed": lambda n: self.tr("The server failed on this image: {detail}."),
            "server.no_result": lambda n: self.tr("The server returned no result for this image."),
            "server.part_failed": lambda n: self.tr(
                "The server failed on this part of the survey: {detail}."
            ),
            "server.part_timeout": lambda n: self.tr(
                "The server did not finish this part of the survey within {minutes} minutes (it was still {state})."
            ),
            "model.failed": lambda n: self.tr("The model {name} failed on this image: {reason}"),
            "model.not_finite": lambda n: self.tr(
                "The model {name} produced NaN or infinite values."
            ),
            "model.missing": lambda n: self.tr("The model file {path} does not exist."),
            "model.unreadable": lambda n: self.tr("Could not read the model {path}: {reason}."),
            "model.not_onnx": lambda n: self.tr("{name} is not a usable ONNX model: {reason}"),
            "model.no_spec": lambda n: self.tr(
                "The model {name} has no description file {spec} beside it; the app needs it to know the model's input size, normalisation and oil class."
            ),
            "model.spec_unreadable": lambda n: self.tr("Could not read {path}: {reason}."),
            "model.spec_not_json": lambda n: self.tr("{name} is not valid JSON ({reason})."),
            "model.spec_not_object": lambda n: self.tr("{name} must hold a JSON object."),
            "model.spec_field": lambda n: self.tr("{where}: {detail}"),
            "model.no_runtime": lambda n: self.tr(
                "onnxruntime is not available, so the model cannot run: {reason}."
            ),
            "input.missing": lambda n: self.tr("{path} does not exist."),
            "input.folder": lambda n: self.tr("{path} is a folder, not a zip archive."),
            "input.unreadable": lambda n: self.tr("{path} cannot be read: {reason}."),
            "input.no_images": lambda n: self.tr(
                "{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff)."
            ),
            "input.no_images_skipped": lambda n: self.tr(
                "{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its %n other file(s) are listed as skipped.",
                "",
                n,
            ),
            "input.changed": lambda n: self.tr(
                "{name} changed while it was being processed; run it again to process the new version.",
            ),
            "input.changed_since": lambda n: self.tr(
                "{name} has changed since it was processed; add it again to process the new version.",
            ),
            "input.busy": lambda n: self.tr(
                "{name} is already being processed by another job (in this window or another one); it runs once.",
            ),
            "input.busy_now": lambda n: self.tr(
                "{name} is being processed by another job right now."
            ),
            "zip.empty": lambda n: self.tr("The file “{name}” is empty, not a zip archive."),
            "zip.not_zip": lambda n: self.tr("The file “{name}” is not a zip archive."),
            "zip.is_image": lambda n: self.tr(
                "The file “{name}” is a {kind} image, not a zip archive."
            ),
            "zip.is_rar": lambda n: self.tr(
                "The file “{name}” is a RAR archive, not a zip archive."
            ),
            "zip.is_7z": lambda n: self.tr(
                "The file “{name}” is a 7-Zip archive, not a zip archive."
            ),
            "zip.is_gzip": lambda n: self.tr(
                "The file “{name}” is a gzip file, not a zip archive."
            ),
            "zip.is_pdf": lambda n: self.tr(
                "The file “{name}” is a PDF document, not a zip archive."
            ),
            "zip.split": lambda n: self.tr(
                "The archive “{name}” is one part of a split (multi-volume) archive; join the parts into one zip first.",
            ),
            "zip.truncated": lambda n: self.tr(
                "The archive “{name}” is truncated or damaged: its table of contents (central directory) is cut short. Copy or download it again.",
            ),
            "zip.no_directory": lambda n: self.tr(
                "The archive “{name}” is truncated or damaged: its table of contents (central directory) is missing. Copy or download it again.",
            ),
            "zip.damaged": lambda n: self.tr(
                "The archive “{name}” is truncated or damaged: its table of contents (central directory) is corrupt ({reason}). Copy or download it again.",
            ),
            "geo.unreadable": lambda n: self.tr(
                "The image's georeference could not be read: {reason}."
            ),
            "geo.crs_unusable": lambda n: self.tr(
                "The image's coordinate reference system cannot be turned into longitude and latitude: {reason}.",
            ),
            "geo.gcps_few": lambda n: self.tr(
                "The image has %n ground control point(s); at least 3 are needed to place it.",
                "",
                n,
            ),
            "geo.gcps_misfit": lambda n: self.tr(
                "The image's ground control points do not fit one another: they are {pixels} pixels off (at most {limit} allowed).",
            ),
            "geo.off_earth": lambda n: self.tr(
                "The image's georeference places it off the Earth: its pixels have no longitude and latitude.",
            ),
            "output.disk_full": lambda n: self.tr("Cannot write {path}: the disk is full."),
            "output.quota": lambda n: self.tr("Cannot write {path}: the disk quota is exceeded."),
            "output.read_only": lambda n: self.tr(
                "Cannot write {path}: the file system is read-only."
            ),
            "output.denied": lambda n: self.tr("Cannot write {path}: permission denied."),
            "output.failed": lambda n: self.tr("Cannot write {path}: {reason}."),
            "output.not_writable": lambda n: self.tr(
                "{folder} is not writable, so the results were saved in {fallback}."
            ),
            "output.saved_instead": lambda n: self.tr("The results were saved in {folder}."),
            "output.nowhere": lambda n: self.tr(
                "Neither {folder} nor {fallback} can be written; the results have nowhere to go."
            ),
            "review.unreadable": lambda n: self.tr(
                "The verdicts file {path} cannot be read ({reason}); it is left as it is and no "
                "verdict is saved until it is moved away."
            ),
            "review.other_results": lambda n: self.tr(
                "The verdicts file {path} belongs to results of another input archive; it is "
                "left as it is and no verdict is saved until it is moved away."
            ),
            "job.cancelled_before_start": lambda n: self.tr("Cancelled before it started."),
            "job.nothing_kept": lambda n: self.tr("No image had finished."),
            "job.kept": lambda n: self.tr(
                "The %n finished image(s) are kept; run the job again to resume.", "", n
            ),
            "job.partial_saved": lambda n: self.tr(
                "Partial results: %n finished image(s) saved; {missing} of {total} were not "
                "processed (run the job again to do them).",
                "",
                n,
            ),
            "warn.exif_unreadable": lambda n: self.tr(
                "The EXIF orientation could not be read; the image is used as stored."
            ),
            "warn.nodata": lambda n: self.tr(
                "{share}% of the pixels hold no data and are shown black."
            ),
            "warn.nodata_little": lambda n: self.tr(
                "less than 1% of the pixels hold no data and are shown black."
            ),
            "warn.flat": lambda n: self.tr(
                "The image holds a single value, so it has no contrast; it is shown gray."
            ),
            "warn.tiff_pages": lambda n: self.tr(
                "The TIFF holds %n page(s); only the first is used.", "", n
            ),
            "warn.complex": lambda n: self.tr(
                "The complex (single-look) values were read as their amplitude."
            ),
            "warn.band_missing": lambda n: self.tr(
                "The settings name band {band}, but the image has {bands}; band 1 was used."
            ),
            "warn.band_used": lambda n: self.tr("Band {band} of {bands} was used."),
            "warn.band_used_named": lambda n: self.tr("Band {band} ({label}) of {bands} was used."),
            "warn.decibels": lambda n: self.tr("The signed values were read as decibels."),
            "warn.decibels_scaled": lambda n: self.tr(
                "The signed values were read as decibels × {scale}."
            ),
            "warn.colour_stretched": lambda n: self.tr(
                "The colour values were stretched from {low}–{high} to 8 bits."
            ),
            "warn.wide_values_unused": lambda n: self.tr(
                "The image's {depth} values were not used because it has more than {limit} pixels; the engine segmented its 8-bit display stretch, which can make calm areas look like oil.",
            ),
            "warn.multilooked": lambda n: self.tr(
                "The {width}x{height} scene was averaged {factor}x{factor} before segmentation (multilooked), so slicks narrower than that are not resolved.",
            ),
            "warn.mask_resized": lambda n: self.tr(
                "The engine's mask was {got_width}x{got_height} for a {width}x{height} image; it was resized.",
            ),
            "warn.class_mask_resized": lambda n: self.tr(
                "The engine's class mask was {got_width}x{got_height} for a {width}x{height} image; it was resized.",
            ),
            "warn.picture_resized": lambda n: self.tr(
                "The engine's picture was {got_width}x{got_height} for a {width}x{height} image; it was resized.",
            ),
            "warn.scene_windows": lambda n: self.tr(
                "The {width}x{height} scene was segmented in %n window(s).", "", n
            ),
            "warn.scene_windows_reduced": lambda n: self.tr(
                "The {width}x{height} scene was segmented in %n window(s); its overlay and thumbnail are made from a copy reduced {factor}x{factor}.",
                "",
                n,
            ),
            "warn.scene_windows_reduced_geo": lambda n: self.tr(
                "The {width}x{height} scene was segmented in %n window(s); its overlay, thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.",
                "",
                n,
            ),
            "warn.carried_over": lambda n: self.tr(
                "segmented by {engine} before the job switched engine"
            ),
        }


_table: dict[str, Callable[[int], str]] = {}
_table_lock = threading.Lock()


def _sources() -> dict[str, Callable[[int], str]]:
    """The table, made once. A job's ``report.html`` is worded on a save thread (Qt's
    ``translate`` is thread-safe), which may be the first to ask: its holder object then
    moves to the GUI thread, so that it does not belong to a pool thread that ends."""
    with _table_lock:
        if not _table:
            holder = CoreMessages()
            app = QCoreApplication.instance()
            if app is not None and holder.thread() is not app.thread():
                holder.moveToThread(app.thread())
            _table.update(holder.sources())
    return _table


def translate(message: Message) -> str:
    """``message`` in the current language, its English text when there is no translation."""
    source = _sources().get(message.code) if message.code else None
    if source is None:
        return message.text
    count = message.params.get("count")
    try:
        return source(count if isinstance(count, int) else -1).format(**message.params)
    except (KeyError, IndexError, ValueError):  # a translation that does not fit its params
        log.warning("The translation of %s does not fit %s", message.code, message.params)
        return message.text


def translate_all(messages: Iterable[Message]) -> str | None:
    """Sentences shown one after another (a job's notes), or ``None`` without any."""
    return " ".join(translate(m) for m in messages) or None


def record_error(record: ItemRecord) -> str:
    """An item's error as the user reads it; empty when it has none."""
    message = record.error_message
    return translate(message) if message is not None else ""


def record_warnings(record: ItemRecord) -> list[str]:
    """An item's warnings as the user reads them, one sentence each."""
    return [translate(warning) for warning in record.warnings]
