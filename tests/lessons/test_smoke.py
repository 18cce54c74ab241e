import pytest

from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db


def test_enrolled_leader_sees_body(client, home_page, user):
    program, modules, lessons = make_course(home_page)
    make_lesson(modules[0], title="Quiz", body=QUIZ_BODY)
    enrol(user, program)
    client.force_login(user)
    response = client.get("/program/m1/l1/")
    assert response.status_code == 200, response.content[:2000]
    assert b"SECRET body of Lesson 1.1" in response.content
    response = client.get("/program/m1/quiz/")
    assert response.status_code == 200
    print(response.content.decode()[:100])
    assert client.get("/program/").status_code == 200
    assert client.get("/program/m1/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
