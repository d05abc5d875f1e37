"""Writes the model card from the sidecar that training produced: its figures are measured."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

TEMPLATE = """\
# Model card: {name}

The default offline engine of Oil Spill Desktop (`--engine model`). It marks oil in
single-channel SAR images (backscatter as grey levels).

## Architecture
A U-Net with two 3x3 convolutions, batch norm and ReLU per level, channels 16-32-64-128,
max-pool down, 2x2 transposed convolutions up, skip concatenation and a 1x1 head
({parameters:,} parameters). It runs at half resolution: each {tile}x{tile} tile is averaged
down 2x2 (a multilook), segmented, and the logits are brought back to full resolution
bilinearly inside the ONNX graph, followed by a sigmoid. Output: the probability of oil per
pixel; oil is probability >= {threshold:.2f} (chosen on the held-out part).

## Input and normalisation
One grey channel, {tile}x{tile} pixels, float32 NCHW, value = (grey / 255 - {mean}) / {std}.
8-bit images are used as they are (colour images are converted to grey with ITU-R 601-2
luma), as the SOS tiles were. 16-bit and float GeoTIFFs are fed as linear amplitude from
their physical values: integers as amplitude DN, floats as sigma0 power (square-rooted;
dB values converted first), scaled without offset so that the 99.5th percentile is 200
(`amplitude_of` in `core/engines/classical.py`), never as the dB display stretch, which
makes calm sea look like oil. Larger images are cut into overlapping {tile}x{tile} tiles
(a quarter overlap) and blended back; scenes above 16 megapixels are multilooked first.

## Training data
Deep-SAR Oil Spill (SOS) data set (Zhu et al., IEEE TGRS 60, 2022,
doi:10.1109/TGRS.2021.3115492): 256x256 tiles of ALOS PALSAR (Gulf of Mexico) and
Sentinel-1A (Persian Gulf) with hand-drawn oil masks, a 52 % subset of its train split
(3,357 tiles). **Licence: none found**; the authors say the data is "mainly used for
scientific purposes". The tiles are therefore used for training only and are neither in
the repository nor in the app; only the learned weights are.

## Split
Held out: {held_out_tiles} tiles in whole blocks of 40 consecutive ids (neighbouring ids
share a scene), drawn with seed {seed} from each sensor and id batch (`training/data.py`);
trained on the other {train_tiles}. The SOS test split was not available and was not used.

## Training
`python -m training.train --data ../shared/data/sar-oil-train` (needs `pip install -e '.[train]'`).
{epochs} epochs (the epoch with the best held-out IoU is kept), batch {batch}, AdamW
(one-cycle, peak learning rate {lr}), BCE + Dice, flips, right-angle turns, brightness
gain and gamma. Trained on the **CPU** (2 cores,
{minutes} minutes; no GPU was available), so the network is small and the schedule short.
The exported ONNX file was checked against the trained network (largest probability
difference {onnx_max_abs_diff:.1e}).

## Figures on the held-out part
Pooled over all held-out tiles of a sensor (oil pixels predicted and true over their union).

| sensor | tiles | oil IoU | precision | recall | false oil on tiles without oil |
|---|---|---|---|---|---|
{rows}

"First id batch" is the part of each sensor whose ids and brightness match the SOS test split.

## Known failure modes
- **Look-alikes**: low-wind areas, biogenic films, rain cells and grease ice are as dark as
  oil in SAR; the network has seen some in SOS but will still mark some of them.
- **Land and ships**: the training tiles are open sea; coastlines, land and bright targets
  were rarely seen and can give false oil near shores.
- **Other sensors and calibrations**: only Sentinel-1 and PALSAR quicklooks scaled like SOS
  were seen. Very different brightness (other processing chains, optical images) is out of
  its domain; optical photographs are not SAR and results on them mean nothing.
- **Resolution**: tiles are segmented at half resolution; slicks narrower than about two
  pixels are lost.
"""


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def write_model_card(path: Path, sidecar: dict[str, Any]) -> None:
    labels = {
        "sentinel": "Sentinel-1",
        "palsar": "ALOS PALSAR",
        "sentinel_first_batch": "Sentinel-1, first id batch",
        "palsar_first_batch": "ALOS PALSAR, first id batch",
    }
    rows = []
    for key, label in labels.items():
        s = sidecar["held_out"][key]
        rows.append(
            f"| {label} | {s['tiles']} | {_fmt(s['iou'])} | {_fmt(s['precision'])} | "
            f"{_fmt(s['recall'])} | {_fmt(s['false_oil_on_clean_tiles'])} |"
        )
    training = sidecar["training"]
    text = TEMPLATE.format(
        name=sidecar["name"],
        tile=sidecar["input"]["tile"],
        mean=sidecar["input"]["mean"][0],
        std=sidecar["input"]["std"][0],
        threshold=sidecar["output"]["threshold"],
        rows="\n".join(rows),
        **training,
    )
    path.write_text(text, encoding="utf-8")
