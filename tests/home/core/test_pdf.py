import pytest

from home.core.pdf import DiskURLFetcher, render_pdf


def test_render_pdf_returns_a_pdf():
    pdf = render_pdf(template="pdf/base.html", context={})
    assert pdf.startswith(b"%PDF-")


def test_fetcher_refuses_the_network():
    with pytest.raises(ValueError, match="never fetches"):
        DiskURLFetcher().fetch("https://example.com/logo.png")


def test_fetcher_serves_static_files_from_disk():
    response = DiskURLFetcher().fetch("https://pdf.huddle.invalid/static/img/favicon.svg")
    assert b"<svg" in response.read()


def test_fetcher_refuses_files_outside_font_folders():
    with pytest.raises(ValueError):
        DiskURLFetcher().fetch("file:///etc/passwd")
