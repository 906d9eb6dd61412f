"""The file store for objection attachments: a local folder and an S3-compatible store (moto's server on a
loopback port: nothing reaches the network), behind the same interface."""

import os
import stat

import pytest

from wizard import storage as storage_module
from wizard.storage import KEY
from wizard.storage import LocalStorage
from wizard.storage import S3Storage
from wizard.storage import StorageError
from wizard.storage import from_config

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
BUCKET = "pishkhan-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    store = S3Storage(BUCKET, "objections/", endpoint_url=s3_endpoint, region_name="us-east-1",
                      aws_access_key_id="test-key", aws_secret_access_key="test-secret")
    try:
        store.client.create_bucket(Bucket=BUCKET)
    except store.client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return store


@pytest.fixture
def local(tmp_path):
    return LocalStorage(tmp_path / "uploads")


@pytest.fixture(params=["local", "s3"])
def store(request):
    return request.getfixturevalue(request.param)


def test_a_file_comes_back_as_it_was_kept(store):
    key = store.put(PDF, "application/pdf")
    assert KEY.fullmatch(key)
    assert store.get(key) == PDF
    assert store.put(PDF, "application/pdf") != key  # every file its own random key


def test_an_unknown_key_is_a_key_error(store):
    with pytest.raises(KeyError):
        store.get("A" * 43)


@pytest.mark.parametrize("key", ["../../etc/passwd", "..", "", "a/b", "A" * 42, "A" * 44, "A" * 42 + ".",
                                 "/" + "A" * 42, "A" * 42 + "\x00", None])
def test_only_keys_the_store_drew_are_read(store, key):
    with pytest.raises(KeyError):
        store.get(key)
    with pytest.raises(KeyError):
        store.delete(key)


def test_a_deleted_file_is_gone(store):
    key = store.put(PDF, "application/pdf")
    store.delete(key)
    with pytest.raises(KeyError):
        store.get(key)
    store.delete(key)  # twice is harmless


def test_local_files_are_private_and_never_half_written(local, tmp_path):
    key = local.put(PDF, "application/pdf")
    path = tmp_path / "uploads" / key
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0  # only the app's own user reads it
    assert stat.S_IMODE((tmp_path / "uploads").stat().st_mode) == 0o700
    assert [name for name in os.listdir(tmp_path / "uploads") if name.startswith(".upload-")] == []


def test_s3_objects_carry_their_type_under_the_prefix(s3):
    key = s3.put(PDF, "application/pdf")
    kept = s3.client.get_object(Bucket=BUCKET, Key=f"objections/{key}")
    assert kept["ContentType"] == "application/pdf"


def test_an_unreachable_store_is_a_storage_error(tmp_path):
    store = S3Storage(BUCKET, endpoint_url="http://127.0.0.1:9", region_name="us-east-1",
                      aws_access_key_id="k", aws_secret_access_key="s")
    store.client.meta.config.retries = {"max_attempts": 1}
    with pytest.raises(StorageError):
        store.put(PDF, "application/pdf")


def test_the_settings_choose_the_backend(tmp_path, monkeypatch, s3_endpoint):
    for name in ("UPLOAD_STORAGE", *storage_module.S3_SETTINGS):
        monkeypatch.delenv(name, raising=False)
    default = from_config({"UPLOAD_STORAGE": "local", "UPLOAD_FOLDER": None}, str(tmp_path))
    assert isinstance(default, LocalStorage) and default.root == tmp_path / "uploads"
    assert from_config({"UPLOAD_FOLDER": str(tmp_path / "elsewhere")}, str(tmp_path)).root == tmp_path / "elsewhere"
    with pytest.raises(ValueError, match="S3_BUCKET"):
        from_config({"UPLOAD_STORAGE": "s3"}, str(tmp_path))
    with pytest.raises(ValueError, match="'local' or 's3'"):
        from_config({"UPLOAD_STORAGE": "ftp"}, str(tmp_path))
    # The environment names the store and its keys, as a deployment with several app servers sets them.
    monkeypatch.setenv("UPLOAD_STORAGE", "s3")
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("S3_BUCKET", BUCKET)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "test-secret")
    chosen = from_config({"UPLOAD_STORAGE": "local", "S3_PREFIX": "objections/"}, str(tmp_path))
    assert isinstance(chosen, S3Storage) and chosen.bucket == BUCKET and chosen.prefix == "objections/"
    try:
        chosen.client.create_bucket(Bucket=BUCKET)
    except chosen.client.exceptions.BucketAlreadyOwnedByYou:
        pass
    assert chosen.get(chosen.put(PDF, "application/pdf")) == PDF
