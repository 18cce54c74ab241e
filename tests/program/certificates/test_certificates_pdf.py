"""The certificate PDF: text (name, code) extractable, unusual names safe and legible."""

import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from program.certificates.services import (
    certificate_issue,
    certificate_pdf,
    certificate_pdf_context,
    name_font_size,
    text_direction,
)
from program.models import ProgramPage
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")

LONG_NAME = ("Maximiliana Alexandrovna Konstantinopolskaya-Worthington " * 4)[:200].strip()
BIDI_MARKS = {"\u202a", "\u202b", "\u202c", "\u200e", "\u200f"}


@pytest.fixture
def program(home_page) -> ProgramPage:
    page = ProgramPage(title="9 Steps to Leading a Rock Star Sales Team", slug="nine-steps", promise="Lead well.")
    home_page.add_child(instance=page)
    return page


def pdf_text(path: str) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True).stdout.decode()
    text = "".join(ch for ch in text if ch not in BIDI_MARKS)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize(
    "name",
    [
        "Priya Raman",
        "José Ñúñez-Øvergård",
        '<b>Bold</b> & "Co" <script>alert(1)</script>',
        "山田 太郎",
        "ليلى حسن",
        "דוד כהן",
        LONG_NAME,
    ],
    ids=["plain", "accents", "html", "cjk", "arabic", "hebrew", "long"],
)
def test_pdf_text_contains_the_name_and_code(program, user, name, tmp_path):
    certificate = certificate_issue(user=user, program=program, learner_name=name, hours=Decimal("12"), notify=False)
    certificate = certificate_pdf(certificate=certificate)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.read())
    text = pdf_text(str(path))
    assert " ".join(name.split()) in text
    assert certificate.code in text
    assert "9 Steps to Leading a Rock Star Sales Team" in text


def test_names_are_autoescaped_in_the_template(program, user):
    certificate = certificate_issue(user=user, program=program, learner_name="<script>alert(1)</script>", notify=False)
    html = render_to_string("certificates/pdf/certificate.html", certificate_pdf_context(certificate))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_long_names_shrink_and_rtl_names_get_rtl_direction():
    assert name_font_size(LONG_NAME) < name_font_size("Priya Raman") <= 44
    assert name_font_size("山田 太郎 山田 太郎 山田 太郎") < name_font_size("Yamada Taro")  # wide glyphs count double
    assert text_direction("ليلى حسن") == "rtl" and text_direction("דוד כהן") == "rtl"
    assert text_direction("José") == "ltr"


def test_pdf_is_landscape_in_the_chosen_paper_size(program, tmp_path):
    for paper, expected in (("letter", (792, 612)), ("a4", (842, 595))):
        certificate = certificate_issue(user=UserFactory(), program=program, notify=False)
        certificate.paper_size = paper
        certificate.save()
        path = tmp_path / f"{paper}.pdf"
        path.write_bytes(certificate_pdf(certificate=certificate).pdf.read())
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert (round(float(size[1])), round(float(size[2]))) == expected  # width > height: landscape
