"""Where uploaded files (objection attachments) are kept: outside the web root, under random keys.

Two backends behind one small interface (put, get, delete):

- LocalStorage: a folder, by default instance/uploads (UPLOAD_FOLDER), for one app server;
- S3Storage: an S3-compatible object store (UPLOAD_STORAGE = "s3"), so several app servers share the files:
  S3_ENDPOINT_URL, S3_BUCKET, S3_REGION, S3_PREFIX from the settings or the environment, and the keys
  S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY from the environment (boto3's own AWS_* variables work too).

A key is drawn here (43 URL-safe random characters) and checked on every read: nothing a user sends ever names
a file, so no path can climb out of the folder or reach another object."""

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app

KEY = re.compile(r"[A-Za-z0-9_-]{43}")
S3_SETTINGS = ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_REGION", "S3_PREFIX", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


class StorageError(Exception):
    """The store could not keep or give back a file."""


class Storage(Protocol):
    def put(self, data: bytes, content_type: str) -> str:
        """Keep the bytes under a new random key; return the key."""

    def get(self, key: str) -> bytes:
        """The bytes kept under key; KeyError if there are none."""

    def delete(self, key: str) -> None:
        """Forget the key (nothing happens if it is unknown)."""


def new_key() -> str:
    return secrets.token_urlsafe(32)


def checked(key: str) -> str:
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise KeyError("not a storage key")
    return key


class LocalStorage:
    """Files in one folder, each written to a temporary name first and renamed, so a reader never sees half."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / checked(key)

    def put(self, data: bytes, content_type: str) -> str:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = new_key()
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self._path(key))
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise StorageError(str(error)) from error
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None
        except OSError as error:
            raise StorageError(str(error)) from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in one bucket of an S3-compatible store (MinIO, Ceph, ArvanCloud, AWS), path-style addressing."""

    def __init__(self, bucket: str, prefix: str = "", **client_options):
        import boto3  # only a deployment that uses S3 pays for importing it
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", config=Config(s3={"addressing_style": "path"},
                                                       retries={"max_attempts": 3}), **client_options)

    def _name(self, key: str) -> str:
        return self.prefix + checked(key)

    def put(self, data: bytes, content_type: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        key = new_key()
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error
        return key

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        name = self._name(key)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise StorageError(str(error)) from error
        except BotoCoreError as error:
            raise StorageError(str(error)) from error

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error


def _setting(config, name: str):
    """The environment first (as for DATABASE_URL), then the settings."""
    return os.environ.get(name) or config.get(name)


def from_config(config, instance_path: str) -> Storage:
    kind = _setting(config, "UPLOAD_STORAGE") or "local"
    if kind == "local":
        return LocalStorage(config.get("UPLOAD_FOLDER") or os.path.join(instance_path, "uploads"))
    if kind != "s3":
        raise ValueError(f"UPLOAD_STORAGE must be 'local' or 's3', not {kind!r}")
    values = {name: _setting(config, name) for name in S3_SETTINGS}
    if not values["S3_BUCKET"]:
        raise ValueError("UPLOAD_STORAGE is 's3' but S3_BUCKET is not set")
    options = {"endpoint_url": values["S3_ENDPOINT_URL"], "region_name": values["S3_REGION"] or "us-east-1"}
    if values["S3_ACCESS_KEY_ID"]:
        options |= {"aws_access_key_id": values["S3_ACCESS_KEY_ID"],
                    "aws_secret_access_key": values["S3_SECRET_ACCESS_KEY"]}
    return S3Storage(values["S3_BUCKET"], values["S3_PREFIX"] or "", **options)


def storage() -> Storage:
    """The app's file store, made once per app (an S3 client is safe to share between threads)."""
    app = current_app._get_current_object()
    if "wizard-storage" not in app.extensions:
        app.extensions["wizard-storage"] = from_config(app.config, app.instance_path)
    return app.extensions["wizard-storage"]
