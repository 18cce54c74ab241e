"""The certificate journey in a real browser: the leader completes the last lesson, gets the
certificate on the dashboard, downloads the PDF (its text holds the name and the code), opens
the public verification page; a second user cannot download it."""

import re
import shutil
import subprocess

import pytest

from lessons.services import lesson_complete
from program.certificates.models import Certificate
from program.models import Enrollment
from program.services import enrollment_grant
from tests.factories import UserFactory
from tests.lessons.factories import make_lesson, make_module, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complete_download_verify_and_nobody_else_downloads(
    page, browser, live_server, login, screenshot, home_page, tmp_path
):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    module = make_module(program, title="Step one", slug="step-one")
    first = make_lesson(module, title="Set the targets", slug="set-the-targets")
    last = make_lesson(module, title="Publish the results", slug="publish-the-results")
    leader = UserFactory(full_name="Priya Raman", time_zone="America/Denver")
    enrollment_grant(user=leader, program=program, source=Enrollment.Source.MANUAL, reason="journey")
    lesson_complete(user=leader, lesson=first)
    assert not Certificate.objects.exists()

    login(page, leader)
    page.goto(last.url)
    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_load_state()
    certificate = Certificate.objects.get(user=leader)
    assert certificate.learner_name == "Priya Raman"

    page.goto("/dashboard/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Your certificates"))
    assert "9 Steps to Leading a Rock Star Sales Team" in panel.inner_text()
    screenshot(page, "certificate-dashboard")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert "Priya Raman" in text and certificate.code in text

    page.goto(f"/certificates/verify/{certificate.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Valid certificate"
    main = page.locator("main").inner_text()
    assert "Priya Raman" in main and leader.email not in main
    assert re.match(
        r"https://www\.linkedin\.com/profile/add\?",
        page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href"),
    )
    screenshot(page, "certificate-verify")

    intruder_context = browser.new_context(base_url=live_server.url)
    try:
        intruder = intruder_context.new_page()
        login(intruder, UserFactory())
        response = intruder.request.get(f"/certificates/{certificate.code}/download/", max_redirects=0)
        assert response.status == 404
    finally:
        intruder_context.close()
