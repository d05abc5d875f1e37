"""Sentences the core says to users, each under a code, so that the window can translate them.

The core is Qt-free and speaks English: ``report.csv``, ``report.json``, the log and the
command line show the English sentence. But an error raised on a worker reaches a Russian
user in the viewer's facts and the queue's tooltips, so each common sentence is a
:class:`Message`: a stable code, the parameters that fill it in, and the English text.
The window looks the code up in its own catalogue (``ui/core_messages.py``, the
``CoreMessages`` context of the Qt translations), fills in the same parameters, and falls
back to the English text for a code it does not know (a journal written by a newer
version, or a rare sentence that never got a code).

Counts that decide a plural are passed as the ``count`` parameter, an ``int``; the
English here picks "image" or "images" from it, the window uses Qt's ``%n`` forms. The
other parameters are already-formatted strings (file names, sizes, a library's reason).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Template:
    """The English of one code; ``plural`` is used when the ``count`` parameter is not 1."""

    text: str
    plural: str | None = None

    def render(self, params: Params) -> str:
        count = params.get("count")
        chosen = self.plural if self.plural is not None and count != 1 else self.text
        return chosen.format(**params)


TEMPLATES: Final[dict[str, Template]] = {
    # -- one image ------------------------------------------------------------------------
    "image.undecodable": Template("The image could not be decoded: {reason}."),
    "image.empty": Template("The image could not be decoded: the member is empty."),
    "image.unsupported": Template(
        "The image could not be decoded: the data is not a PNG, JPEG, BMP, TIFF, JPEG 2000 "
        "or WebP image."
    ),
    "image.jp2_undecodable": Template(
        "The JPEG 2000 image could not be decoded by OpenJPEG: {reason}. Convert it to "
        "GeoTIFF (for example with gdal_translate) and process that."
    ),
    "image.tiff_codec": Template(
        "The TIFF is compressed with {codec}, which this program cannot decode for {samples} "
        "samples of {bits} bits per pixel; save it with Deflate, LZW or no compression."
    ),
    "image.too_many_bytes": Template(
        "The image's {samples} samples of {bits} bits per pixel need {size} of memory, above "
        "the limit of {limit} (8 bytes for each pixel the limits allow)."
    ),
    "image.flat": Template(
        "The image decodes to a picture of the single value {value} everywhere, although "
        "its data are not all one value (perhaps all no-data); it is not segmented as a "
        "blank picture."
    ),
    "image.flat_png16": Template(
        "The 16-bit colour PNG decodes to a picture of one single value: only the high byte "
        "of each 16-bit value can be read, and this image's values lie below it. Save it as "
        "16-bit grey PNG, 8-bit colour or TIFF."
    ),
    "image.no_memory": Template(
        "The image could not be decoded: there is not enough memory for its pixels."
    ),
    "image.too_many_pixels": Template(
        "The image is {width} × {height} = {pixels} pixels, above the limit of {limit} pixels."
    ),
    "image.too_many_windows": Template(
        "The image is {width} × {height} pixels: {windows} windows, above the limit of "
        "{limit} windows a large scene may hold."
    ),
    "image.window_failed": Template(
        "Window {window} of {windows} (rows {rows}, columns {columns}) of the scene could "
        "not be segmented: {reason}."
    ),
    "scene.window_failed": Template(
        "Window {window} of {windows} (rows {rows}, columns {columns}) of the scene could "
        "not be segmented: {reason}."
    ),
    "image.bomb": Template(
        "The image is {pixels} pixels, above the imaging library's own safety limit of "
        "{limit} pixels."
    ),
    "member.too_large": Template("The member is {size} once unpacked, above the {limit} limit."),
    "member.ratio": Template(
        "The member would unpack from {packed} to {size} (a ratio of {ratio} to 1), above the "
        "limit of {limit} to 1; it looks like a zip bomb."
    ),
    "member.overflow": Template(
        "The member unpacks to more than {limit}, above the limit; its header understated its size."
    ),
    "member.bomb": Template(
        "The member unpacks to more than {ratio} times its compressed size of {packed}; it "
        "looks like a zip bomb."
    ),
    "member.damaged": Template(
        "The member is damaged: its compressed data cannot be unpacked ({reason})."
    ),
    "member.truncated": Template("The member is cut short: the archive ends before its data does."),
    "member.encrypted": Template("The member is password-protected."),
    "member.unreadable": Template("The archive could not be read: {reason}."),
    "skip.name_nul": Template("unsafe name: contains a NUL character"),
    "skip.name_absolute": Template("unsafe name: absolute path"),
    "skip.name_backslash": Template("unsafe name: contains a backslash"),
    "skip.name_parent": Template("unsafe name: contains a '..' component"),
    "skip.symlink": Template("symbolic link"),
    "skip.nested_archive": Template("nested archive; unpack it and add it separately"),
    "skip.unsupported_image": Template(
        "unsupported image type ({suffix}); convert it to PNG, JPEG or TIFF"
    ),
    "skip.not_image": Template("not an image ({suffix})"),
    "skip.no_extension": Template("not an image (no extension)"),
    "skip.encrypted": Template("password-protected"),
    "item.not_processed": Template("Not processed: the job was stopped before this image."),
    "item.no_memory": Template("There was not enough memory to process this image."),
    "item.unexpected": Template("Unexpected error: {reason}"),
    # -- the engine -----------------------------------------------------------------------
    "engine.failed": Template("The engine failed: {detail}."),
    "engine.rejected": Template("The engine rejected the request: {detail}."),
    "engine.redirected": Template("The engine redirected the request: {detail}."),
    "engine.unreachable": Template("The engine could not be reached: {detail}."),
    "engine.no_answer": Template("The engine did not answer: {detail}."),
    "engine.unusable": Template("The engine could not be used: {detail}."),
    "engine.not_a_picture": Template("The engine did not answer with a picture: {detail}."),
    "engine.unreadable_answer": Template(
        "The engine's answer is not a readable picture: {detail}."
    ),
    "engine.unusable_answer": Template("The engine's answer is not a usable picture: {detail}."),
    "engine.never_answered": Template(
        "The engine could not be reached: {detail}; no request was ever answered, so the job "
        "stopped after 1 attempt.",
        "The engine could not be reached: {detail}; no request was ever answered, so the job "
        "stopped after {count} attempts.",
    ),
    "engine.outage_too_long": Template(
        "The engine stayed unreachable for {minutes} minutes ({reason}); the job stopped "
        "waiting for it."
    ),
    "engine.bad_endpoint_list": Template(
        "The list of further endpoints in the settings could not be read: {reason}."
    ),
    "engine.bad_url": Template("The engine address {endpoint} is not a valid URL ({reason})."),
    "engine.not_http_url": Template(
        "The engine address {endpoint} is not an http:// or https:// URL with a host name."
    ),
    "engine.bad_token": Template(
        "The API token holds characters that cannot be sent in an HTTP header; "
        "paste it again without line breaks or accented letters."
    ),
    "engine.bad_ca_bundle": Template(
        "The CA bundle {path} could not be loaded ({reason}); check the path in the settings."
    ),
    "engine.no_memory": Template(
        "The built-in engine ran out of memory on this {width}x{height} image."
    ),
    "engine.not_the_image_sent": Template(
        "The engine's annotated picture is not a copy of the image sent: {share} of its pixels "
        "outside the painted slicks differ from it. It may be another image's answer (a "
        "service mixing up uploads), so no mask was derived from it."
    ),
    "server.image_failed": Template("The server failed on this image: {detail}."),
    "server.no_result": Template("The server returned no result for this image."),
    "server.part_failed": Template("The server failed on this part of the survey: {detail}."),
    "server.part_timeout": Template(
        "The server did not finish this part of the survey within {minutes} minutes "
        "(it was still {state})."
    ),
    "model.failed": Template("The model {name} failed on this image: {reason}"),
    "model.not_finite": Template("The model {name} produced NaN or infinite values."),
    "model.missing": Template("The model file {path} does not exist."),
    "model.unreadable": Template("Could not read the model {path}: {reason}."),
    "model.not_onnx": Template("{name} is not a usable ONNX model: {reason}"),
    "model.no_spec": Template(
        "The model {name} has no description file {spec} beside it; the app needs it to know "
        "the model's input size, normalisation and oil class."
    ),
    "model.spec_unreadable": Template("Could not read {path}: {reason}."),
    "model.spec_not_json": Template("{name} is not valid JSON ({reason})."),
    "model.spec_not_object": Template("{name} must hold a JSON object."),
    "model.spec_field": Template("{where}: {detail}"),
    "model.no_runtime": Template(
        "onnxruntime is not available, so the model cannot run: {reason}."
    ),
    # -- a whole input --------------------------------------------------------------------
    "input.missing": Template("{path} does not exist."),
    "input.folder": Template("{path} is a folder, not a zip archive."),
    "input.unreadable": Template("{path} cannot be read: {reason}."),
    "input.no_images": Template("{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff)."),
    "input.no_images_skipped": Template(
        "{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its one other file is "
        "listed as skipped.",
        "{name} holds no images (.jpg .jpeg .png .bmp .tif .tiff); its {count} other files "
        "are listed as skipped.",
    ),
    "input.changed": Template(
        "{name} changed while it was being processed; run it again to process the new version."
    ),
    "input.changed_since": Template(
        "{name} has changed since it was processed; add it again to process the new version."
    ),
    "input.busy": Template(
        "{name} is already being processed by another job (in this window or another one); "
        "it runs once."
    ),
    "input.busy_now": Template("{name} is being processed by another job right now."),
    "zip.empty": Template("The file “{name}” is empty, not a zip archive."),
    "zip.not_zip": Template("The file “{name}” is not a zip archive."),
    "zip.is_image": Template("The file “{name}” is a {kind} image, not a zip archive."),
    "zip.is_rar": Template("The file “{name}” is a RAR archive, not a zip archive."),
    "zip.is_7z": Template("The file “{name}” is a 7-Zip archive, not a zip archive."),
    "zip.is_gzip": Template("The file “{name}” is a gzip file, not a zip archive."),
    "zip.is_pdf": Template("The file “{name}” is a PDF document, not a zip archive."),
    "zip.split": Template(
        "The archive “{name}” is one part of a split (multi-volume) archive; join the parts "
        "into one zip first."
    ),
    "zip.truncated": Template(
        "The archive “{name}” is truncated or damaged: its table of contents (central "
        "directory) is cut short. Copy or download it again."
    ),
    "zip.no_directory": Template(
        "The archive “{name}” is truncated or damaged: its table of contents (central "
        "directory) is missing. Copy or download it again."
    ),
    "zip.damaged": Template(
        "The archive “{name}” is truncated or damaged: its table of contents (central "
        "directory) is corrupt ({reason}). Copy or download it again."
    ),
    # -- georeference --------------------------------------------------------------------
    "geo.unreadable": Template("The image's georeference could not be read: {reason}."),
    "geo.crs_unusable": Template(
        "The image's coordinate reference system cannot be turned into longitude and "
        "latitude: {reason}."
    ),
    "geo.gcps_few": Template(
        "The image has {count} ground control point; at least 3 are needed to place it.",
        "The image has {count} ground control points; at least 3 are needed to place it.",
    ),
    "geo.gcps_misfit": Template(
        "The image's ground control points do not fit one another: they are {pixels} pixels "
        "off (at most {limit} allowed)."
    ),
    "geo.off_earth": Template(
        "The image's georeference places it off the Earth: its pixels have no longitude and "
        "latitude."
    ),
    # -- results and the job --------------------------------------------------------------
    "output.disk_full": Template("Cannot write {path}: the disk is full."),
    "output.quota": Template("Cannot write {path}: the disk quota is exceeded."),
    "output.read_only": Template("Cannot write {path}: the file system is read-only."),
    "output.denied": Template("Cannot write {path}: permission denied."),
    "output.failed": Template("Cannot write {path}: {reason}."),
    "output.not_writable": Template(
        "{folder} is not writable, so the results were saved in {fallback}."
    ),
    "output.saved_instead": Template("The results were saved in {folder}."),
    "output.nowhere": Template(
        "Neither {folder} nor {fallback} can be written; the results have nowhere to go."
    ),
    "review.unreadable": Template(
        "The verdicts file {path} cannot be read ({reason}); it is left as it is and no "
        "verdict is saved until it is moved away."
    ),
    "review.other_results": Template(
        "The verdicts file {path} belongs to results of another input archive; it is left "
        "as it is and no verdict is saved until it is moved away."
    ),
    "job.cancelled_before_start": Template("Cancelled before it started."),
    "job.nothing_kept": Template("No image had finished."),
    "job.kept": Template(
        "The finished image is kept; run the job again to resume.",
        "The {count} finished images are kept; run the job again to resume.",
    ),
    "job.partial_saved": Template(
        "Partial results: the finished image is saved; {missing} of {total} were not "
        "processed (run the job again to do them).",
        "Partial results: the {count} finished images are saved; {missing} of {total} were "
        "not processed (run the job again to do them).",
    ),
    # -- warnings: an image that succeeded, with something the analyst should know ---------
    "warn.exif_unreadable": Template(
        "The EXIF orientation could not be read; the image is used as stored."
    ),
    "warn.nodata": Template("{share}% of the pixels hold no data and are shown black."),
    "warn.nodata_little": Template("less than 1% of the pixels hold no data and are shown black."),
    "warn.flat": Template(
        "The image holds a single value, so it has no contrast; it is shown gray."
    ),
    "warn.tiff_pages": Template(
        "The TIFF holds {count} page; only the first is used.",
        "The TIFF holds {count} pages; only the first is used.",
    ),
    "warn.complex": Template("The complex (single-look) values were read as their amplitude."),
    "warn.band_missing": Template(
        "The settings name band {band}, but the image has {bands}; band 1 was used."
    ),
    "warn.band_used": Template("Band {band} of {bands} was used."),
    "warn.band_used_named": Template("Band {band} ({label}) of {bands} was used."),
    "warn.decibels": Template("The signed values were read as decibels."),
    "warn.decibels_scaled": Template("The signed values were read as decibels × {scale}."),
    "warn.colour_stretched": Template(
        "The colour values were stretched from {low}–{high} to 8 bits."
    ),
    "warn.wide_values_unused": Template(
        "The image's {depth} values were not used because it has more than {limit} pixels; "
        "the engine segmented its 8-bit display stretch, which can make calm areas look "
        "like oil."
    ),
    "warn.multilooked": Template(
        "The {width}x{height} scene was averaged {factor}x{factor} before segmentation "
        "(multilooked), so slicks narrower than that are not resolved."
    ),
    "warn.mask_resized": Template(
        "The engine's mask was {got_width}x{got_height} for a {width}x{height} image; it "
        "was resized."
    ),
    "warn.class_mask_resized": Template(
        "The engine's class mask was {got_width}x{got_height} for a {width}x{height} image; "
        "it was resized."
    ),
    "warn.picture_resized": Template(
        "The engine's picture was {got_width}x{got_height} for a {width}x{height} image; "
        "it was resized."
    ),
    "warn.scene_windows": Template(
        "The {width}x{height} scene was segmented in {count} window.",
        "The {width}x{height} scene was segmented in {count} windows.",
    ),
    "warn.scene_windows_reduced": Template(
        "The {width}x{height} scene was segmented in {count} window; its overlay and "
        "thumbnail are made from a copy reduced {factor}x{factor}.",
        "The {width}x{height} scene was segmented in {count} windows; its overlay and "
        "thumbnail are made from a copy reduced {factor}x{factor}.",
    ),
    "warn.scene_windows_reduced_geo": Template(
        "The {width}x{height} scene was segmented in {count} window; its overlay, "
        "thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.",
        "The {width}x{height} scene was segmented in {count} windows; its overlay, "
        "thumbnail, slicks and areas are made from a copy reduced {factor}x{factor}.",
    ),
    "warn.carried_over": Template("segmented by {engine} before the job switched engine"),
}


@dataclass(frozen=True)
class Message:
    """One sentence for a user: ``text`` in English, and ``code`` with ``params`` to
    translate it; ``code`` is ``None`` for a sentence that has no entry in the catalogue."""

    text: str
    code: str | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


def say(code: str, **params: str | int) -> Message:
    """The message ``code`` with ``params``; a wrong code or parameter fails at once
    (``KeyError``), so a typo is caught by the first test that reaches it."""
    return Message(TEMPLATES[code].render(params), code, params)


Translate = Callable[[Message], str]
"""Words a message for a reader: the window passes its translation into core code that
writes for people (``report.html``); the core's own default is :func:`english`."""


def english(message: Message) -> str:
    """The message as the report, the log and the command line say it."""
    return message.text


def plain(text: str) -> Message:
    """A sentence without a code: every reader gets this English text."""
    return Message(text)


def join(*parts: Message | str | None) -> tuple[Message, ...]:
    """Sentences that are shown one after another (an error, then what was kept)."""
    return tuple(p if isinstance(p, Message) else plain(p) for p in parts if p)
