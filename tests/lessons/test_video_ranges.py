"""Uploaded videos are served with byte ranges (206), after the same access checks as before."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from home.core.byte_ranges import parse_range
from tests.factories import UserFactory
from tests.lessons.factories import enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db
VIDEO = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def video(home_page):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    document = get_document_model().objects.create(title="Welcome", file=ContentFile(VIDEO, name="welcome.mp4"))
    make_lesson(modules[0], title="Watch", slug="watch", body=[("video", {"file": document, "title": "Welcome"})])
    leader = UserFactory()
    enrol(leader, program)
    return document, leader


def test_a_range_request_gets_206_with_just_those_bytes(client, video):
    document, leader = video
    client.force_login(leader)
    response = client.get(document.url, HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response.content == VIDEO[:2]
    assert response["Content-Range"] == f"bytes 0-1/{len(VIDEO)}" and response["Content-Length"] == "2"
    assert response["Content-Type"] == "video/mp4" and response["Accept-Ranges"] == "bytes"
    tail = client.get(document.url, HTTP_RANGE="bytes=-100")
    assert tail.content == VIDEO[-100:]


def test_an_unsatisfiable_range_is_416_and_no_range_is_the_whole_file(client, video):
    document, leader = video
    client.force_login(leader)
    assert client.get(document.url, HTTP_RANGE="bytes=999999-").status_code == 416
    whole = client.get(document.url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == VIDEO


def test_ranges_do_not_get_past_the_paywall(client, video):
    document, _ = video
    client.force_login(UserFactory())  # not enrolled
    assert client.get(document.url, HTTP_RANGE="bytes=0-1").status_code == 403


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-1", (0, 1)),
        ("bytes=5-", (5, 9)),
        ("bytes=-3", (7, 9)),
        ("bytes=8-100", (8, 9)),
        ("bytes=10-", False),
        ("bytes=4-2", False),
        ("bytes=0-1,4-5", None),
        ("items=0-1", None),
        ("bytes=-", None),
        ("", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 10) == expected


def test_a_long_range_is_sent_in_parts_that_say_so(client, video, monkeypatch):
    from home.core import byte_ranges

    monkeypatch.setattr(byte_ranges, "MAX_PART", 1000)
    document, leader = video
    client.force_login(leader)
    response = client.get(document.url, HTTP_RANGE="bytes=100-")
    assert response.status_code == 206 and response.content == VIDEO[100:1100]
    assert response["Content-Range"] == f"bytes 100-1099/{len(VIDEO)}"


def test_captions_are_a_track_of_the_uploaded_video(client, home_page):
    from django.core.exceptions import ValidationError

    from lessons.blocks import VideoBlock

    program, modules, _ = make_course(home_page, modules=1, lessons=1, slug="captioned")
    Doc = get_document_model()
    film = Doc.objects.create(title="Film", file=ContentFile(VIDEO, name="film.mp4"))
    vtt = Doc.objects.create(
        title="Captions", file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi", name="film.vtt")
    )
    lesson = make_lesson(
        modules[0],
        title="Captioned",
        slug="captioned-lesson",
        free_preview=True,
        body=[("video", {"file": film, "captions": vtt, "title": "Film", "transcript": "Hi there."})],
    )
    html = client.get(lesson.url).content.decode()
    assert f'<track kind="captions" src="{vtt.url}" srclang="en" label="English" default>' in html
    assert "Hi there." in html
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"file": film.pk, "captions": film.pk, "title": "Film"}))
