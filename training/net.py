"""The networks: the shipped light U-Net and the plain U-Net it is measured against."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional


def _double_conv(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """Two 3x3 conv+BN+ReLU per level, max-pool down, 2x2 transposed conv up, skips, 1x1 head."""

    def __init__(self, channels: tuple[int, ...], in_channels: int = 1) -> None:
        super().__init__()
        self.down = nn.ModuleList()
        c_prev = in_channels
        for c in channels:
            self.down.append(_double_conv(c_prev, c))
            c_prev = c
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for c in reversed(channels[:-1]):
            self.up.append(nn.ConvTranspose2d(c_prev, c, 2, stride=2))
            self.merge.append(_double_conv(2 * c, c))
            c_prev = c
        self.head = nn.Conv2d(c_prev, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, block in enumerate(self.down):
            if i:
                x = functional.max_pool2d(x, 2)
            x = block(x)
            skips.append(x)
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1]), strict=True):
            x = merge(torch.cat([up(x), skip], dim=1))
        return self.head(x)


class ReducedResolution(nn.Module):
    """Runs a network on the tile averaged down by ``factor`` and brings the logits back.

    Averaging 2x2 blocks is a multilook: it halves speckle and quarters the work, and the
    slicks the data holds are far larger than two pixels.
    """

    def __init__(self, inner: nn.Module, factor: int) -> None:
        super().__init__()
        self.inner = inner
        self.factor = factor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.factor > 1:
            x = functional.avg_pool2d(x, self.factor)
        y = self.inner(x)
        if self.factor > 1:
            y = functional.interpolate(
                y, scale_factor=self.factor, mode="bilinear", align_corners=False
            )
        return y


class WithSigmoid(nn.Module):
    """What is exported: probabilities, so that the app thresholds without knowing logits."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.inner(x))


LITE_CHANNELS = (16, 32, 64, 128)
PLAIN_CHANNELS = (16, 32, 64, 128, 256)


def lite_unet() -> nn.Module:
    return ReducedResolution(UNet(LITE_CHANNELS), factor=2)


def plain_unet() -> nn.Module:
    return UNet(PLAIN_CHANNELS)


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
