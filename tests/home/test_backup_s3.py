"""Backups straight to S3 and back, against a local S3 double (moto's server on a free port): the
backup lands in the bucket with its manifest, a wiped site is restored from the bucket with its
data and media, and a damaged object in the bucket is refused with nothing changed."""

import json
from pathlib import Path

import pytest

from tests.home.test_backup import manage, site_env  # noqa: F401 (site_env is a fixture)
from tests.test_multi_process import _free_port

pytestmark = pytest.mark.slow
BUCKET = "huddle-backups"
STATE = (
    "import json; from accounts.models import User; from django.core.files.storage import default_storage as s; "
    "print(json.dumps({'users': sorted(User.objects.values_list('email', flat=True)), "
    "'media': s.exists('documents/worksheet.txt') and s.open('documents/worksheet.txt').read().decode()}))"
)


@pytest.fixture
def s3(monkeypatch):
    moto_server = pytest.importorskip("moto.server")
    import boto3

    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    client = boto3.client("s3", endpoint_url=endpoint, **{k.lower(): v for k, v in credentials.items() if "KEY" in k},
                          region_name="us-east-1")  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    yield client, {**credentials, "BACKUP_S3_ENDPOINT_URL": endpoint}
    server.stop()


def _state(env) -> dict:
    return json.loads(manage(env, "shell", "-c", STATE).stdout.strip().splitlines()[-1])


def test_backup_to_s3_and_restore_from_it(site_env, s3, tmp_path):  # noqa: F811
    client, s3_env = s3
    env = {**site_env, **s3_env}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", "from accounts.models import User; User.objects.create_user('leader@example.com')")
    worksheet = Path(env["MEDIA_ROOT"]) / "documents" / "worksheet.txt"
    worksheet.parent.mkdir(parents=True)
    worksheet.write_text("Step 3: review every 1:1")
    before = _state(env)
    assert before == {"users": ["leader@example.com"], "media": "Step 3: review every 1:1"}

    out = manage(env, "backup", "--to", f"s3://{BUCKET}/nightly").stdout
    address = out.split("Backed up to ", 1)[1].strip()
    assert address.startswith(f"s3://{BUCKET}/nightly/huddle-") and address.endswith("/")
    folder = address.removeprefix(f"s3://{BUCKET}/").rstrip("/")
    keys = {o["Key"].rsplit("/", 1)[1] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=folder)["Contents"]}
    manifest = json.loads(client.get_object(Bucket=BUCKET, Key=f"{folder}/manifest.json")["Body"].read())
    assert keys == set(manifest["files"]) | {"manifest.json"} and "media.tar.gz" in keys
    assert not list(tmp_path.glob("**/huddle-*/manifest.json"))  # nothing left on the machine

    manage(env, "flush", "--noinput")  # the disaster
    worksheet.unlink()
    assert _state(env) == {"users": [], "media": False}

    manage(env, "restore", address, "--yes")
    assert _state(env) == before


def test_a_damaged_object_in_the_bucket_is_refused_and_changes_nothing(site_env, s3):  # noqa: F811
    client, s3_env = s3
    env = {**site_env, **s3_env}
    manage(env, "migrate", "--noinput", "-v0")
    address = manage(env, "backup", "--to", f"s3://{BUCKET}").stdout.split("Backed up to ", 1)[1].strip()
    folder = address.removeprefix(f"s3://{BUCKET}/").rstrip("/")
    database = next(
        o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=folder)["Contents"] if "/database." in o["Key"]
    )
    body = client.get_object(Bucket=BUCKET, Key=database)["Body"].read()
    client.put_object(Bucket=BUCKET, Key=database, Body=body[:-10] + b"0123456789")
    manage(env, "shell", "-c", "from accounts.models import User; User.objects.create_user('kept@example.com')")

    result = manage(env, "restore", address, "--yes", check=False)
    assert result.returncode != 0 and "damaged" in result.stderr and "Nothing was restored" in result.stderr
    assert _state(env)["users"] == ["kept@example.com"]
