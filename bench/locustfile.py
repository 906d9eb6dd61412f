"""The deadline day as locust plays it (driven by bench/load.py): holders who never signed in before.

Each simulated holder signs in with their national code, is made to choose a password, fills the
five steps (two staff rows, added with the no-JavaScript button), checks the answers, submits,
reads the receipt and keeps an eye on the countdown; then the next holder takes the seat.
Every acknowledged save and submission is written to the journal (LOAD_JOURNAL) for the verifier.
"""

import itertools
import json
import os
import re

from locust import HttpUser
from locust import between
from locust import task

from bench.harness import STEPS
from bench.harness import TOKEN
from bench.harness import VERSION
from bench.seed import national_code

HOLDERS = itertools.count(int(os.environ.get("LOAD_FIRST_HOLDER", "0")))
JOURNAL = open(os.environ.get("LOAD_JOURNAL", "load-journal.jsonl"), "a", encoding="utf-8")  # noqa: SIM115
PASSWORD = "deadline day 1405"
TRACKING = re.compile(r'class="tracking-code" dir="ltr">([^<]+)<')
SHA256 = re.compile(r'class="hash" dir="ltr">([0-9a-f]{64})<')
AREA = re.compile(r'<option selected value="(\d+)"')
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def record(**entry):
    JOURNAL.write(json.dumps(entry, ensure_ascii=False) + "\n")
    JOURNAL.flush()


class Holder(HttpUser):
    wait_time = between(0.3, 1.5)

    def on_start(self):
        self.sign_in_for_the_first_time()

    def sign_in_for_the_first_time(self):
        self.client.cookies.clear()
        self.code = national_code(next(HOLDERS))
        page = self.page("/login", name="/login")
        self.expect(self.client.post("/login", {"csrf_token": token(page), "username": self.code,
                                                "password": self.code}, allow_redirects=False),
                    302, "/account/password")
        page = self.page("/account/password", name="/account/password")
        self.expect(self.client.post("/account/password", {
            "csrf_token": token(page), "current_password": self.code, "new_password": PASSWORD,
            "confirm_password": PASSWORD}, allow_redirects=False), 302, "/")
        response = self.client.get("/declaration/", allow_redirects=False)
        self.office = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        self.journey = f"{self.office}-{self.code[-4:]}"

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            return response.text

    def expect(self, response, status, location_part):
        if response.status_code != status or location_part not in response.headers.get("Location", ""):
            raise AssertionError(f"{response.request.url} answered {response.status_code} "
                                 f"{response.headers.get('Location')}")
        return response

    @task
    def declare_and_submit(self):
        base = f"/declaration/{self.office}"
        self.page(f"{base}/", name="task list (countdown)")
        for slug, answers in self.answers().items():
            if slug == "staff":
                self.add_staff_row(base)
            self.save(base, slug, answers)
        review = self.page(f"{base}/review", name="review")
        response = self.client.post(f"{base}/submit", {"csrf_token": token(review), "version": version(review),
                                                       "declare": "y"}, allow_redirects=False, name="submit")
        self.expect(response, 303, "/receipt/")
        receipt = self.page(response.headers["Location"], name="receipt")
        record(kind="submission", office=self.office, journey=self.journey,
               tracking=TRACKING.search(receipt)[1].translate(PERSIAN_DIGITS).replace(" ", "").replace("-", ""),
               sha256=SHA256.search(receipt)[1])
        for _refresh in range(2):
            self.page(f"{base}/", name="task list (countdown)")
        self.client.post("/logout", {"csrf_token": token(receipt)}, allow_redirects=False, name="/logout")
        self.sign_in_for_the_first_time()

    def answers(self) -> dict:
        """The valid answers, marked with this journey so a snapshot mixing two journeys would show."""
        mark = self.journey
        answers = {slug: dict(values) for slug, values in STEPS.items()}
        answers["address"]["address"] = f"تهران، خیابان ولیعصر، پلاک {mark}"
        staff = answers["staff"]
        staff["staff-0-full_name"] = f"مریم احمدی {mark}"
        staff.update({"staff-1-national_code": "1583250689", "staff-1-full_name": f"علی کریمی {mark}",
                      "staff-1-role": "operator", "staff-1-education": "diploma", "staff-1-insured": "no",
                      "staff-1-insurance_number": "", "staff-1-disability": "yes", "staff-1-start_date-day": "15",
                      "staff-1-start_date-month": "12", "staff-1-start_date-year": "1403"})
        return answers

    def add_staff_row(self, base):
        page = self.page(f"{base}/staff", name="step")
        first_row = {key: value for key, value in STEPS["staff"].items()}
        form = {"csrf_token": token(page), "version": version(page), "action": "add", **first_row}
        self.expect(self.client.post(f"{base}/staff", form, allow_redirects=False, name="staff: add a row"),
                    303, "/staff")
        record(kind="save", office=self.office, step="staff", journey=self.journey, answers=first_row,
               added_row=True)

    def save(self, base, slug, answers):
        page = self.page(f"{base}/{slug}", name="step")
        if slug == "address":
            answers = {**answers, "area": AREA.search(page)[1]}
        response = self.client.post(f"{base}/{slug}", {"csrf_token": token(page), "version": version(page),
                                                       **answers}, allow_redirects=False, name="step save")
        self.expect(response, 303, "/")
        if "restore=" in response.headers["Location"] or response.headers["Location"].endswith(f"/{slug}"):
            raise AssertionError(f"saving {slug} was not accepted: {response.headers['Location']}")
        record(kind="save", office=self.office, step=slug, journey=self.journey, answers=answers)


def token(page: str) -> str:
    return TOKEN.search(page)[1]


def version(page: str) -> str:
    return VERSION.search(page)[1]
