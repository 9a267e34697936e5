"""`LK_RECEIPTS_STORE` chooses the receipt store: a folder by default, S3 by address."""

from __future__ import annotations

from pathlib import Path

import pytest

from lk_adapters.receipts import FilesystemReceiptStore
from lk_adapters.receipts.configured import configured_receipt_store
from lk_adapters.receipts.s3_store import S3Access, S3Location, S3ReceiptStore
from lk_adapters.settings import SettingsError, load_settings


def test_without_a_store_receipts_go_to_the_configured_folder() -> None:
    store = configured_receipt_store(load_settings({"LK_DEMO": "1"}))

    assert isinstance(store, FilesystemReceiptStore)
    assert store.folder == Path("var/receipts")


def test_a_plain_path_as_the_store_is_a_folder(tmp_path: Path) -> None:
    settings = load_settings({"LK_DEMO": "1", "LK_RECEIPTS_STORE": str(tmp_path)})

    store = configured_receipt_store(settings)

    assert isinstance(store, FilesystemReceiptStore)
    assert store.folder == tmp_path


def test_an_s3_address_with_its_server_and_keys_is_object_storage() -> None:
    settings = load_settings(
        {"LK_DEMO": "1", "LK_RECEIPTS_STORE": "s3://lk-receipts/prod",
         "LK_S3_ENDPOINT_URL": "https://storage.example.ru", "LK_S3_ACCESS_KEY_ID": "id",
         "LK_S3_SECRET_ACCESS_KEY": "secret", "LK_S3_REGION": "ru-central1"}
    )  # fmt: skip

    store = configured_receipt_store(settings)

    assert isinstance(store, S3ReceiptStore)
    assert store.location == S3Location("lk-receipts", "prod/")
    assert store.access == S3Access("https://storage.example.ru", "id", "secret", "ru-central1")
    assert "secret" not in repr(settings)


@pytest.mark.parametrize("address", ["s3://", "S3:/bucket", "s3:bucket"])
def test_an_s3_address_without_a_bucket_is_named(address: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_DEMO": "1", "LK_RECEIPTS_STORE": address})

    assert raised.value.problems[0].startswith("LK_RECEIPTS_STORE:")
