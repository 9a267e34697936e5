"""Request photos are checked by content and re-encoded (ADR 0064): what is kept is a bare
JPEG without EXIF or GPS, with a thumbnail; a file that is not an image, one too large, a
decompression bomb and an image with a script appended are refused with a clear message."""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
import pytest
from PIL import Image

from lk_adapters.photos import PillowPhotoProcessor
from lk_core.requests import PhotoRejected, PhotoUpload
from requests_fixtures import a_photo

PROCESSOR = PillowPhotoProcessor()
MB = 1024 * 1024


def upload(data: bytes, name: str = "photo.jpg") -> PhotoUpload:
    return PhotoUpload(name, io.BytesIO(data))


def with_gps_exif(size: tuple[int, int] = (400, 200), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (10, 200, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[2] = (55.0, 45.0, 21.0)  # GPSLatitude
    gps[4] = (37.0, 37.0, 4.0)  # GPSLongitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_jpeg_is_kept_re_encoded_without_exif_or_gps() -> None:
    original = with_gps_exif()
    assert b"PhoneMaker" in original

    kept = PROCESSOR.process(upload(original))

    assert kept.source_format == "jpeg"
    assert kept.image != original
    assert b"Exif" not in kept.image
    assert b"PhoneMaker" not in kept.image
    assert not Image.open(io.BytesIO(kept.image)).getexif()
    assert (kept.width, kept.height) == (400, 200)


def test_the_orientation_a_phone_recorded_is_applied_to_the_pixels() -> None:
    kept = PROCESSOR.process(upload(with_gps_exif((400, 200), orientation=6)))

    assert (kept.width, kept.height) == (200, 400)
    assert Image.open(io.BytesIO(kept.image)).size == (200, 400)


def test_a_thumbnail_is_made_no_larger_than_320_pixels() -> None:
    kept = PROCESSOR.process(upload(a_photo(size=(3000, 2000))))

    thumbnail = Image.open(io.BytesIO(kept.thumbnail))
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == 320
    assert max(kept.width, kept.height) == 1920


def test_a_png_with_transparency_is_kept_as_a_jpeg_on_white() -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")

    kept = PROCESSOR.process(upload(out.getvalue(), "screen.png"))

    assert kept.source_format == "png"
    decoded = Image.open(io.BytesIO(kept.image))
    assert decoded.format == "JPEG"
    assert decoded.getpixel((25, 25)) == (255, 255, 255)


def test_a_heic_from_an_iphone_is_kept_as_a_jpeg() -> None:
    image = Image.new("RGB", (640, 480), (90, 90, 200))
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=70)

    kept = PROCESSOR.process(upload(out.getvalue(), "IMG_0001.HEIC"))

    assert kept.source_format == "heic"
    assert Image.open(io.BytesIO(kept.image)).format == "JPEG"
    assert (kept.width, kept.height) == (640, 480)


def test_the_content_decides_not_the_name() -> None:
    assert PROCESSOR.process(upload(a_photo(), "document.exe")).source_format == "jpeg"
    with pytest.raises(PhotoRejected, match=r"«photo\.jpg»: это не фотография"):
        PROCESSOR.process(upload(b"%PDF-1.4 not a photo at all", "photo.jpg"))


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a......", b"<svg xmlns='http://www.w3.org/2000/svg'/>"]
)
def test_a_file_that_is_not_a_jpeg_png_or_heic_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoRejected, match="это не фотография"):
        PROCESSOR.process(upload(data))


def test_a_damaged_image_is_refused() -> None:
    with pytest.raises(PhotoRejected, match="файл повреждён"):
        PROCESSOR.process(upload(b"\xff\xd8\xff\xe0" + b"\x00" * 100))


class EndlessPhoto:
    """A 'photo' that never ends: JPEG magic, then zeros; it counts what was read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        size = self.total - self.read_so_far if size < 0 else size
        size = min(size, self.total - self.read_so_far)
        head = b"\xff\xd8\xff\xe0" if self.read_so_far == 0 else b""
        self.read_so_far += size
        return (head + b"\x00" * size)[:size]


def test_a_50_mb_file_is_refused_after_reading_little_more_than_the_limit() -> None:
    source = EndlessPhoto(50 * MB)

    with pytest.raises(PhotoRejected, match="файл больше 10 МБ"):
        PROCESSOR.process(PhotoUpload("huge.jpg", source))

    assert source.read_so_far <= 11 * MB


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width`×`height` pixels: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024, 9))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (100_000, 100_000)])
def test_a_decompression_bomb_png_is_refused_from_its_header(width: int, height: int) -> None:
    bomb = png_declaring(width, height)
    assert len(bomb) < 2000

    with pytest.raises(PhotoRejected, match="больше 50 мегапикселей"):
        PROCESSOR.process(upload(bomb, "bomb.png"))


@pytest.mark.parametrize(
    "appended",
    [b"<script>alert(document.cookie)</script>", b"<?php system($_GET['c']); ?>", b"<HTML><BODY>"],
)
def test_an_image_with_a_script_appended_is_refused(appended: bytes) -> None:
    with pytest.raises(PhotoRejected, match="посторонние данные"):
        PROCESSOR.process(upload(a_photo() + appended))


def test_trailing_bytes_that_are_no_script_are_dropped_by_re_encoding() -> None:
    # Some phones append a video after the JPEG (motion photos): kept as the picture only.
    original = a_photo() + b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 5000

    kept = PROCESSOR.process(upload(original))

    assert b"ftypmp42" not in kept.image
    assert kept.image.endswith(b"\xff\xd9")
