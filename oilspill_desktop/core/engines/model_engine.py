"""The learned offline engine: an ONNX segmentation model run by onnxruntime on the CPU.

One inference session serves every worker of a job (onnxruntime's ``run`` is thread-safe),
and its intra-op threads are sized so that workers times threads stays within the cores:
eight workers each spinning eight threads would only fight over them. Spinning is off for
the same reason.

The model is fed the way its sidecar (:mod:`.model_spec`) says it was trained: 8-bit grey
or RGB pixels as the reader shows them (16-bit and float SAR already stretched, see
:mod:`.images`), scaled and normalised per channel, cut into overlapping tiles
(:mod:`.tiling`). Scenes above ``work_pixels`` are multilooked first, as the classical
engine does, which bounds time and memory on field-sized scenes.

A model that does not match its description fails at load with a message naming the file
and the mismatch; an output that breaks the declared contract at run time (a
"probability" outside 0..1, NaN) fails the image, never gives a silently wrong mask.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..errors import EngineError, ModelError
from ..jobs.cancel import CancelToken
from ..messages import Message, say
from ..model import EngineAnswer, SourceImage
from .classical import read_physical_amplitude
from .model_spec import ModelSpec, load_spec
from .multilook import multilook_factor, multilook_mean, upscale_mask
from .tiling import FloatArray, TilePlan, segment_tiled

DEFAULT_WORK_PIXELS = 16_000_000
TILE_BATCH = 8
_PROBABILITY_SLACK = 1e-3


def inference_threads(workers: int, cores: int | None = None) -> int:
    """Intra-op threads per session so that all workers together use each core once."""
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, min(workers, cores)))


class ModelEngine:
    """Answers an ``L`` mask, 255 where the model finds oil."""

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 1,
        work_pixels: int = DEFAULT_WORK_PIXELS,
        overlap_fraction: float = 0.25,
    ) -> None:
        self._path = model_path
        self.spec: ModelSpec = load_spec(model_path)
        self._work_pixels = work_pixels
        overlap = int(self.spec.tile * overlap_fraction)
        self._plan = TilePlan(self.spec.tile, overlap, TILE_BATCH)
        # Read once: the same bytes are hashed (the job key names these weights) and
        # handed to onnxruntime, so the model is identified by exactly what runs.
        try:
            weights = model_path.read_bytes()
        except FileNotFoundError:
            raise ModelError(say("model.missing", path=str(model_path))) from None
        except OSError as exc:
            raise ModelError(
                say("model.unreadable", path=str(model_path), reason=str(exc))
            ) from exc
        self.sha256 = hashlib.sha256(weights).hexdigest()
        self._session = _open_session(weights, model_path.name, threads)
        del weights
        self._input_name = _check_signature(self._session, self.spec, model_path.name)
        self._scale = np.float32(self.spec.scale)
        self._mean = np.asarray(self.spec.mean, dtype=np.float32).reshape(1, -1, 1, 1)
        self._std = np.asarray(self.spec.std, dtype=np.float32).reshape(1, -1, 1, 1)
        self._probe()

    @property
    def engine(self) -> str:
        return "model"

    @property
    def endpoint(self) -> str | None:
        return None

    @property
    def fingerprint(self) -> str:
        """Identifies the model for the job key: another model's results are not resumed."""
        return f"{self.spec.name}@{self.sha256[:16]}"

    @property
    def path(self) -> Path:
        return self._path

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        cancel.raise_if_cancelled()
        width, height = image.pixels.size
        pixels, warnings = self._model_pixels(image)
        factor = multilook_factor(width * height, self._work_pixels)
        if factor > 1:
            pixels = multilook_mean(pixels, factor)
            warnings.append(say("warn.multilooked", width=width, height=height, factor=factor))
        try:
            mask = segment_tiled(
                pixels, self._plan, self._infer, self._decide, check=cancel.raise_if_cancelled
            )
        except MemoryError as exc:
            raise EngineError(
                f"The model ran out of memory on this {width}x{height} image."
            ) from exc
        if factor > 1:
            mask = upscale_mask(mask, width, height, factor)
        cancel.raise_if_cancelled()
        answer = Image.fromarray(mask.astype(np.uint8) * np.uint8(255))
        return EngineAnswer(image=answer, attempts=1, warnings=warnings)

    def _model_pixels(self, image: SourceImage) -> tuple[npt.NDArray[np.uint8], list[Message]]:
        """8-bit pixels as the model was trained on: linear amplitude, never a dB stretch.

        16-bit and float SAR are shown stretched (percentiles with a black offset, or dB),
        which turns calm sea into oil-dark patches; grey models get the member's physical
        values as linear amplitude instead, scaled without offset (the classical engine's
        rule: the 99.5th percentile at 200), which is how 8-bit quicklooks look.
        """
        warnings: list[Message] = []
        if self.spec.channels == 1:
            amplitude, note = read_physical_amplitude(image)
            if note is not None:
                warnings.append(note)
            if amplitude is not None:
                return np.clip(np.rint(amplitude), 0, 255).astype(np.uint8), warnings
        mode = "L" if self.spec.channels == 1 else "RGB"
        pixels = image.pixels if image.pixels.mode == mode else image.pixels.convert(mode)
        return np.asarray(pixels), warnings

    def close(self) -> None:
        """Nothing to release early: the session goes with the engine, one per job."""

    # --- inference ----------------------------------------------------------------------

    def _infer(self, tiles: npt.NDArray[np.uint8]) -> FloatArray:
        x = tiles.astype(np.float32)
        x = x[:, None] if x.ndim == 3 else x.transpose(0, 3, 1, 2)
        x = (x * self._scale - self._mean) / self._std
        try:
            out = self._session.run(None, {self._input_name: np.ascontiguousarray(x)})[0]
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EngineError(say("model.failed", name=self._path.name, reason=str(exc))) from exc
        out = np.asarray(out, dtype=np.float32)
        _check_answer_shape(out, len(tiles), self.spec, self._path.name)
        return self._to_scores(out)

    def _to_scores(self, out: FloatArray) -> FloatArray:
        """Raw outputs -> per-class (or oil) probabilities, checked against the contract."""
        if not np.isfinite(out).all():
            raise EngineError(say("model.not_finite", name=self._path.name))
        kind = self.spec.output_kind
        if kind == "logits":
            return (1.0 / (1.0 + np.exp(-np.clip(out, -60, 60)))).astype(np.float32)
        if kind == "classes":
            shifted = np.exp(out - out.max(axis=1, keepdims=True))
            probs: FloatArray = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
            return probs
        low, high = float(out.min()), float(out.max())
        if low < -_PROBABILITY_SLACK or high > 1 + _PROBABILITY_SLACK:
            raise EngineError(
                f"The model {self._path.name} is described as giving probabilities, but gave "
                f"values from {low:.3g} to {high:.3g}; its description should say "
                '"kind": "logits".'
            )
        return out

    def _decide(self, scores: FloatArray) -> npt.NDArray[np.bool_]:
        if self.spec.output_kind == "classes":
            result: npt.NDArray[np.bool_] = scores.argmax(axis=0) == self.spec.oil_class
        else:
            result = scores[0] >= np.float32(self.spec.threshold)
        return result

    def _probe(self) -> None:
        """A tile of every grey level at load: an output that breaks its description fails here."""
        shape = (1, self.spec.tile, self.spec.tile) + ((3,) if self.spec.channels == 3 else ())
        try:
            ramp = np.linspace(0, 255, num=int(np.prod(shape)), dtype=np.float32)
            self._infer(ramp.astype(np.uint8).reshape(shape))
        except EngineError as exc:
            raise ModelError(exc.message) from exc


def _open_session(weights: bytes, name: str, threads: int) -> Any:
    try:
        import onnxruntime as ort
    except ImportError as exc:  # a broken install, not a user error, but say what is missing
        raise ModelError(say("model.no_runtime", reason=str(exc))) from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(weights, options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ModelError(say("model.not_onnx", name=name, reason=str(exc))) from exc


def _check_signature(session: Any, spec: ModelSpec, name: str) -> str:
    """The one input's name, after checking both ends' shapes against the sidecar."""
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1:
        raise ModelError(f"{name} takes {len(inputs)} inputs; the app feeds exactly one image.")
    shape = inputs[0].shape
    if len(shape) != 4:
        raise ModelError(f"{name} takes a rank-{len(shape)} input; expected NCHW (rank 4).")
    expected = (None, spec.channels, spec.tile, spec.tile)
    for axis, (got, want) in enumerate(zip(shape, expected, strict=True)):
        if want is not None and isinstance(got, int) and got != want:
            raise ModelError(
                f"{name} expects {got} on input axis {axis}, but its description says {want} "
                f"(channels {spec.channels}, tile {spec.tile})."
            )
    want_k = len(spec.classes) if spec.output_kind == "classes" else 1
    out_shape = outputs[0].shape if outputs else []
    if len(out_shape) != 4:
        raise ModelError(f"{name} gives a rank-{len(out_shape)} output; expected (N, K, H, W).")
    if isinstance(out_shape[1], int) and out_shape[1] != want_k:
        raise ModelError(
            f"{name} gives {out_shape[1]} output channel(s); its description "
            f"({spec.output_kind}, {len(spec.classes)} classes) needs {want_k}."
        )
    return str(inputs[0].name)


def _check_answer_shape(out: FloatArray, count: int, spec: ModelSpec, name: str) -> None:
    """Shape of a real answer; dynamic axes can hide a mismatch until the first run."""
    want_k = len(spec.classes) if spec.output_kind == "classes" else 1
    want = (count, want_k, spec.tile, spec.tile)
    if out.shape != want:
        raise EngineError(
            f"{name} answered a {spec.tile}x{spec.tile} tile with an array of shape "
            f"{tuple(out.shape)}; expected {want}."
        )
