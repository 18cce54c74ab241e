"""The account journey in a real browser: sign up, verify by email, dashboard, profile, log out.

Plus axe-core accessibility checks of the home page, the sign-up page and the dashboard.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"
SIGN_UP_BUTTON = re.compile(r"sign up|create", re.I)


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", message.body)
    assert match, f"no confirmation link in the email:\n{message.body}"
    return match.group(0)


def test_sign_up_verify_dashboard_profile_log_out(page, live_server, screenshot, home_page):
    mail.outbox.clear()
    page.goto("/accounts/signup/")
    page.locator("main").get_by_label("Full name").fill("Renata Alvarez")
    page.locator("main").get_by_label(re.compile(r"^Email")).fill("renata@example.com")
    page.locator("main").get_by_label("Company").fill("Bayview Homes")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    screenshot(page, "signup-filled")
    page.locator("main form").get_by_role("button", name=SIGN_UP_BUTTON).click()

    # Not logged in yet: verification is mandatory.
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert "email" in page.locator("main").inner_text().lower()
    user = User.objects.get(email="renata@example.com")
    assert (user.full_name, user.company) == ("Renata Alvarez", "Bayview Homes")
    response = page.request.get("/dashboard/", max_redirects=0)
    assert response.status == 302 and "/accounts/login/" in response.headers["location"]

    # The verification email arrived in the test mailbox, addressed to the new user.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["renata@example.com"]
    link = _confirmation_link(message)
    assert link.startswith(live_server.url)

    page.goto(link)
    screenshot(page, "confirm-email")
    page.locator("main form").get_by_role("button", name=re.compile("confirm", re.I)).click()

    # Confirming in the same browser logs the user in and lands on the dashboard.
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome back")
    assert user.emailaddress_set.get().verified
    screenshot(page, "dashboard-new-user")

    # Edit the profile: job title and time zone.
    page.goto("/profile/")
    page.locator("main").get_by_label("Job title").fill("Vice President of Sales")
    page.locator("main").get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/profile/$"))
    assert page.get_by_text("Your profile has been saved.").is_visible()
    assert page.locator("main").get_by_label("Job title").input_value() == "Vice President of Sales"
    user.refresh_from_db()
    assert (user.job_title, user.time_zone) == ("Vice President of Sales", "Europe/Lisbon")
    screenshot(page, "profile-saved")

    # Log out from the header; the dashboard is closed again.
    page.locator(".site-header").get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    if re.search(r"/accounts/logout/$", page.url):  # allauth asks to confirm when reached by GET
        page.locator("main form").get_by_role("button", name=re.compile("log out|sign out", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator(".site-header").get_by_role("link", name="Log in").is_visible()
    response = page.request.get("/dashboard/", max_redirects=0)
    assert response.status == 302


def test_home_page_is_accessible_on_desktop_and_phone(page, screenshot, axe_check):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "home-desktop")
    axe_check(page)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    screenshot(page, "home-phone")
    axe_check(page)
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_sign_up_page_is_accessible(page, screenshot, axe_check, home_page):
    page.goto("/accounts/signup/")
    screenshot(page, "signup")
    axe_check(page)
    # Errors are shown in place and what was typed is kept.
    page.locator("main").get_by_label("Full name").fill("Renata Alvarez")
    page.locator("main").get_by_label(re.compile(r"^Email")).fill("not-an-email")
    page.locator('input[name="password1"]').fill("short")
    page.locator('input[name="password2"]').fill("different")
    page.locator("main form").get_by_role("button", name=SIGN_UP_BUTTON).click()
    page.wait_for_load_state()
    assert page.locator("main").get_by_label("Full name").input_value() == "Renata Alvarez"
    screenshot(page, "signup-errors")
    axe_check(page)
    assert not User.objects.exists()


def test_dashboard_is_accessible(page, login, user, screenshot, axe_check, home_page):
    login(page, user)
    page.goto("/dashboard/")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "dashboard")
    axe_check(page)


def test_not_found_page_is_designed_and_accessible(page, screenshot, axe_check, home_page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator(".site-header").is_visible()
    screenshot(page, "not-found")
    axe_check(page)


def test_axe_check_fails_on_a_serious_violation(page, axe_check):
    """The accessibility check itself can fail: a page with an unlabelled image and field."""
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)
