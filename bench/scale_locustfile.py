"""Locust users for issue 20's scale report (bench/scale_report.py writes the plan and runs locust).

    locust -f bench/scale_locustfile.py --headless ... with SCALE_PLAN=/path/plan.json

The plan (JSON) lists the mix: each entry a page name, its weight, what a good answer is
("html", "pdf", or "webinar": GET the webinar page, then POST its registration form with the CSRF
token from the page and a fresh address) and its choices (URL and session cookie; one per
logged-in person, picked at random each time, so many leaders' pages are requested).

The user class is named on locust's command line:
- ClosedLoop: each user requests one page after another with no pause (closed loop: the rate is what
  the server manages, i.e. its capacity on the mix);
- OpenLoop: each user sends one request every SCALE_PACING seconds on a fixed schedule, so the
  total rate is users / pacing whatever the server does (open loop). Latency is measured from the
  request's intended send time, so a request the user sent late because the previous one was slow
  counts its wait (no coordinated omission, as wrk2 measures).

Every request carries `X-Forwarded-Proto: https` (production settings: secure cookies) and an
`X-Forwarded-For` address of its own user (the server runs with TRUSTED_PROXY_COUNT=1, as behind
one proxy, so the webinar form's per-address rate limits see many visitors, as in production).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, constant, task

PLAN = json.loads(open(os.environ["SCALE_PLAN"]).read()) if os.environ.get("SCALE_PLAN") else {"pages": []}  # noqa: SIM115
PACING = float(os.environ.get("SCALE_PACING", "2"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SESSION = re.compile(r'name="session" id="session-\d+" value="(\d+)"')
_numbers = itertools.count(1)
_visitors = itertools.count(1)
_run = f"{int(time.time())}-{os.getpid()}"


class ScaleUser(HttpUser):
    abstract = True
    pages = PLAN["pages"]
    weights = [page["weight"] for page in PLAN["pages"]]

    def on_start(self) -> None:
        number = next(_visitors)
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"

    def _headers(self, cookie: str) -> dict:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if cookie:
            headers["Cookie"] = cookie
        return headers

    def one_request(self, intended: float | None = None) -> None:
        page = random.choices(self.pages, weights=self.weights)[0]
        choice = random.choice(page["choices"])
        self.client.cookies.clear()  # cookies go in by hand: the server's are Secure, this is http
        if page["expect"] == "webinar":
            self._register(page, choice, intended)
            return
        with self.client.get(
            choice["url"], name=page["name"], headers=self._headers(choice["cookie"]), catch_response=True
        ) as response:
            self._judge(response, page["expect"], intended)

    def _register(self, page: dict, choice: dict, intended: float | None) -> None:
        """A visitor opens the webinar page and registers: two requests, the second a POST."""
        with self.client.get(
            choice["url"], name=page["name"] + " (page)", headers=self._headers(""), catch_response=True
        ) as response:
            self._judge(response, "html", intended)
            token, session = TOKEN.search(response.text or ""), SESSION.search(response.text or "")
            csrf = response.cookies.get("csrftoken")
        if not (token and session and csrf):
            return
        number = next(_numbers)
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "session": session.group(1),
            "name": f"Visitor {number}",
            "email": f"visitor-{_run}-{number}@load.invalid",
            "company": "Load test",
            "team_size": "6-10",
        }
        headers = self._headers(f"csrftoken={csrf}")
        headers["Origin"] = self.host.replace("http://", "https://")
        headers["Referer"] = headers["Origin"] + choice["url"]
        with self.client.post(
            choice["url"],
            data=form,
            name=page["name"] + " (POST)",
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._judge(response, "redirect", None)

    def _judge(self, response, expect: str, intended: float | None) -> None:
        if intended is not None:  # add the time the request waited past its slot
            late = max(0.0, response.request_meta["start_time"] - intended)
            response.request_meta["response_time"] += late * 1000
        if expect == "redirect":
            ok = response.status_code == 302
        elif expect == "pdf":
            ok = response.status_code == 200 and (response.content or b"")[:5] == b"%PDF-"
        else:
            ok = response.status_code == 200
        if ok:
            response.success()
        else:
            response.failure(f"status {response.status_code}")


class ClosedLoop(ScaleUser):
    """One page after another, no pause: the server's capacity on the mix."""

    wait_time = constant(0)

    @task
    def next_page(self) -> None:
        self.one_request()


class OpenLoop(ScaleUser):
    """One request every PACING seconds on a fixed schedule (each user's phase random)."""

    def on_start(self) -> None:
        super().on_start()
        self.due = time.time() + random.uniform(0, PACING)

    def wait_time(self) -> float:
        return max(0.0, self.due - time.time())

    @task
    def next_page(self) -> None:
        if self.due > time.time():  # the first task runs at once: keep to the schedule
            time.sleep(self.due - time.time())
        intended, self.due = self.due, self.due + PACING
        self.one_request(intended)
