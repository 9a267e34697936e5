"""The photo store port: the folder store, the in-memory one and the S3 one behave alike; a
key never leaves the store, and a reader finds a whole photo or none. Without a folder of
their own, photos go to the receipts' store (ADR 0064)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lk_adapters.photos import FilesystemPhotoStore, InMemoryPhotoStore
from lk_adapters.photos.s3_store import DamagedPhoto, S3PhotoStore
from lk_adapters.requests_setup import photo_store
from lk_adapters.s3_bucket import S3Access, S3Location
from lk_adapters.settings import load_settings
from lk_core.requests import PhotoStore, photo_key
from s3_server import S3Server

REQUEST, PHOTO = "a" * 32, "b" * 32


@pytest.fixture(params=["memory", "folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PhotoStore]:
    if request.param == "memory":
        yield InMemoryPhotoStore()
    elif request.param == "folder":
        yield FilesystemPhotoStore(tmp_path / "photos")
    else:
        s3: S3Server = request.getfixturevalue("s3")
        yield S3PhotoStore(S3Location(s3.new_bucket(), "receipts/"), s3.access)


def test_a_stored_photo_is_read_back_whole(store: PhotoStore) -> None:
    store.put(photo_key(REQUEST, PHOTO), b"\xff\xd8 photo")
    store.put(photo_key(REQUEST, PHOTO, thumbnail=True), b"\xff\xd8 thumb")

    assert store.get(photo_key(REQUEST, PHOTO)) == b"\xff\xd8 photo"
    assert store.get(photo_key(REQUEST, PHOTO, thumbnail=True)) == b"\xff\xd8 thumb"
    assert store.get(photo_key(REQUEST, "c" * 32)) is None


def test_storing_again_replaces_and_deleting_forgets(store: PhotoStore) -> None:
    key = photo_key(REQUEST, PHOTO)
    store.put(key, b"first")
    store.put(key, b"second")
    assert store.get(key) == b"second"

    store.delete(key)
    store.delete(key)  # nothing there: nothing happens
    assert store.get(key) is None


@pytest.mark.parametrize(
    "key", ["../etc/passwd", "requests/../../x", "/abs/path", "requests//x.jpg", ".hidden/x", ""]
)
def test_a_key_that_could_leave_the_store_is_refused(store: PhotoStore, key: str) -> None:
    with pytest.raises(ValueError, match="not a photo key"):
        store.put(key, b"x")
    with pytest.raises(ValueError, match="not a photo key"):
        store.get(key)


def test_photo_keys_are_made_of_ids_only() -> None:
    assert photo_key(REQUEST, PHOTO) == f"requests/{REQUEST}/{PHOTO}.jpg"
    with pytest.raises(ValueError, match="ids only"):
        photo_key("../x", PHOTO)


def test_the_folder_store_writes_through_a_hidden_temporary_file(tmp_path: Path) -> None:
    store = FilesystemPhotoStore(tmp_path)
    store.put(photo_key(REQUEST, PHOTO), b"whole")

    assert (tmp_path / "requests" / REQUEST / f"{PHOTO}.jpg").read_bytes() == b"whole"
    assert list((tmp_path / ".writing").iterdir()) == []


# --- the S3 store: whole objects beside the receipts (ADRs 0055, 0064) ---
def test_the_s3_store_keeps_photos_under_the_receipts_prefix_with_their_checksums(
    s3: S3Server,
) -> None:
    store = S3PhotoStore(S3Location(s3.new_bucket(), "prod/"), s3.access)
    store.put(photo_key(REQUEST, PHOTO), b"\xff\xd8 photo")

    key = f"prod/requests/{REQUEST}/{PHOTO}.jpg"
    stored = store.client.head_object(Bucket=store.location.bucket, Key=key)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["ContentLength"] == len(b"\xff\xd8 photo")
    assert stored["Metadata"]["sha256"] == hashlib.sha256(b"\xff\xd8 photo").hexdigest()


def test_a_photo_changed_in_storage_is_refused_not_served(s3: S3Server) -> None:
    store = S3PhotoStore(S3Location(s3.new_bucket(), "receipts/"), s3.access)
    store.put(photo_key(REQUEST, PHOTO), b"\xff\xd8 photo")
    key = f"receipts/requests/{REQUEST}/{PHOTO}.jpg"
    stored = store.client.head_object(Bucket=store.location.bucket, Key=key)
    store.client.put_object(
        Bucket=store.location.bucket, Key=key, Body=b"<svg onload=x>", Metadata=stored["Metadata"]
    )

    with pytest.raises(DamagedPhoto):
        store.get(photo_key(REQUEST, PHOTO))


def test_a_photo_goes_in_one_put_with_its_md5(s3: S3Server) -> None:
    store = S3PhotoStore(S3Location(s3.new_bucket(), "receipts/"), s3.access)
    sent: list[tuple[str, bytes | None]] = []

    def seen(request: Any, **_: Any) -> None:
        sent.append((request.method, request.headers.get("Content-MD5")))

    store.client.meta.events.register("before-send.s3.*", seen)
    store.put(photo_key(REQUEST, PHOTO), b"\xff\xd8 photo")

    md5 = base64.b64encode(hashlib.md5(b"\xff\xd8 photo").digest())
    assert sent == [("PUT", md5)]  # no multipart upload: whole or not at all


def test_without_a_folder_of_their_own_photos_go_to_the_receipts_bucket() -> None:
    settings = load_settings(
        {"LK_DEMO": "1", "LK_RECEIPTS_STORE": "s3://lk-receipts/prod",
         "LK_S3_ENDPOINT_URL": "https://storage.example.ru", "LK_S3_ACCESS_KEY_ID": "id",
         "LK_S3_SECRET_ACCESS_KEY": "secret", "LK_S3_REGION": "ru-central1"}
    )  # fmt: skip

    store = photo_store(settings)

    assert isinstance(store, S3PhotoStore)
    assert store.location == S3Location("lk-receipts", "prod/")
    assert store.access == S3Access("https://storage.example.ru", "id", "secret", "ru-central1")


def test_a_folder_of_their_own_wins_over_the_receipts_store(tmp_path: Path) -> None:
    settings = load_settings(
        {"LK_DEMO": "1", "LK_RECEIPTS_STORE": "s3://lk-receipts/prod",
         "LK_REQUESTS_PHOTO_FOLDER": str(tmp_path / "photos")}
    )  # fmt: skip

    store = photo_store(settings)

    assert isinstance(store, FilesystemPhotoStore)
    assert store.folder == tmp_path / "photos"


def test_otherwise_photos_go_to_the_receipts_folder(tmp_path: Path) -> None:
    by_default = photo_store(load_settings({"LK_DEMO": "1"}))
    in_a_path = photo_store(load_settings({"LK_DEMO": "1", "LK_RECEIPTS_STORE": str(tmp_path)}))

    assert isinstance(by_default, FilesystemPhotoStore)
    assert by_default.folder == Path("var/receipts")
    assert isinstance(in_a_path, FilesystemPhotoStore)
    assert in_a_path.folder == tmp_path
