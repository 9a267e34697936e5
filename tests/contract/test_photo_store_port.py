"""The photo store port: the folder store and the in-memory one behave alike; a key never
leaves the store, and a reader finds a whole photo or none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_adapters.photos import FilesystemPhotoStore, InMemoryPhotoStore
from lk_core.requests import PhotoStore, photo_key

REQUEST, PHOTO = "a" * 32, "b" * 32


@pytest.fixture(params=["memory", "folder"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PhotoStore]:
    if request.param == "memory":
        yield InMemoryPhotoStore()
    else:
        yield FilesystemPhotoStore(tmp_path / "photos")


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
