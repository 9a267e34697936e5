"""Uploads checked by content and re-encoded with Pillow (ADR 0064).

What is kept is never the upload: each photo is decoded and written anew as a JPEG of at
most `longest_side` pixels, without EXIF, GPS or any other metadata (its orientation is
applied to the pixels first), with a thumbnail. The format is read from the first bytes,
never the name. Refused, each with its own message: more than `max_bytes` (read a chunk at
a time, never more than the limit and one chunk); not a JPEG, PNG or HEIC; more than
`max_pixels` pixels (a decompression bomb is refused from its header, before decoding);
markup or a script anywhere in the file (a polyglot: re-encoding would drop it, but a file
built to carry one is not a resident's photo).
"""

from __future__ import annotations

import io
import warnings

import pillow_heif
from PIL import Image, UnidentifiedImageError

from lk_core.requests.errors import PhotoRejected
from lk_core.requests.photos import PhotoUpload, ProcessedPhoto, Readable

pillow_heif.register_heif_opener()

_CHUNK = 1024 * 1024
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Markers of HTML, SVG, PHP or script; a photo has none of them.
_MARKUP = (b"<script", b"<?php", b"<html", b"<svg", b"<iframe", b"<body", b"javascript:")
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_NOT_AN_IMAGE = "это не фотография. Приложите снимок в формате JPEG, PNG или HEIC"
_DAMAGED = "файл повреждён или это не изображение. Приложите снимок в формате JPEG, PNG или HEIC"
_SCRIPT = (
    "в файле кроме изображения есть посторонние данные (похоже на скрипт или разметку). "
    "Такой файл не принимается — сделайте снимок заново или сохраните его как JPEG"
)


def sniff_format(head: bytes) -> str | None:
    """ "jpeg", "png" or "heic" by the file's first bytes; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


class PillowPhotoProcessor:
    """Checks and re-encodes photos; the limits come from configuration."""

    def __init__(
        self,
        *,
        max_bytes: int = 10 * 1024 * 1024,
        max_pixels: int = 50_000_000,
        longest_side: int = 1920,
        thumbnail_side: int = 320,
        quality: int = 85,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.longest_side = longest_side
        self.thumbnail_side = thumbnail_side
        self.quality = quality

    def read_limited(self, upload: PhotoUpload) -> bytes:
        """The upload's bytes, refused as soon as more than `max_bytes` have been read."""
        buffer = bytearray()
        source: Readable = upload.content
        while chunk := source.read(_CHUNK):
            buffer += chunk
            if len(buffer) > self.max_bytes:
                megabytes = self.max_bytes // (1024 * 1024)
                raise PhotoRejected(
                    upload.filename,
                    f"файл больше {megabytes} МБ. Уменьшите снимок и приложите снова",
                )
        return bytes(buffer)

    def process(self, upload: PhotoUpload) -> ProcessedPhoto:
        data = self.read_limited(upload)
        source_format = sniff_format(data[:16])
        if source_format is None:
            raise PhotoRejected(upload.filename, _NOT_AN_IMAGE)
        lowered = data.lower()
        if any(marker in lowered for marker in _MARKUP):
            raise PhotoRejected(upload.filename, _SCRIPT)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                return self._reencode(upload.filename, data, source_format)
        except PhotoRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRejected(upload.filename, self._too_many_pixels()) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise PhotoRejected(upload.filename, _DAMAGED) from None

    def _too_many_pixels(self) -> str:
        return (
            f"изображение слишком большое (больше {self.max_pixels // 1_000_000} мегапикселей). "
            "Уменьшите снимок и приложите снова"
        )

    def _reencode(self, filename: str, data: bytes, source_format: str) -> ProcessedPhoto:
        pillow_format = {"jpeg": "JPEG", "png": "PNG", "heic": "HEIF"}[source_format]
        opened = Image.open(io.BytesIO(data), formats=[pillow_format])
        image: Image.Image = opened
        if image.width * image.height > self.max_pixels:
            raise PhotoRejected(filename, self._too_many_pixels())
        orientation = image.getexif().get(0x0112, 1)
        box = (self.longest_side, self.longest_side)
        if source_format == "jpeg":
            ratio = min(1.0, self.longest_side / max(image.size))
            opened.draft("RGB", (int(image.width * ratio), int(image.height * ratio)))
        opened.load()
        image = _rgb(image)
        image.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
        if orientation in _TRANSPOSE:
            image = image.transpose(_TRANSPOSE[orientation])
        thumbnail = image.copy()
        thumbnail.thumbnail((self.thumbnail_side, self.thumbnail_side), Image.Resampling.BILINEAR)
        return ProcessedPhoto(
            image=_jpeg(image, self.quality),
            thumbnail=_jpeg(thumbnail, 80),
            width=image.width,
            height=image.height,
            source_format=source_format,
        )


def _rgb(image: Image.Image) -> Image.Image:
    """The image in RGB; transparency over white, as a screenshot is seen."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    """A bare JPEG: no EXIF, no ICC profile, no comment — only pixels."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()
