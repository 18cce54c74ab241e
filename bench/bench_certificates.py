"""Certificate PDF timings: cold render (render + store) and serving a stored PDF.

run(ctx) -> rows; `ctx` may carry "repeat" (default 15). Works inside a transaction that is
rolled back, and removes the files it stored. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_certificates as b; print(b.run({}))"
"""

import time
import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction

from bench.run import latency_ms, repeat_of

NAMES = ["Priya Raman", "José Ñúñez-Øvergård", "山田 太郎", "ليلى حسن"]


def run(ctx) -> list[dict]:
    from accounts.models import User
    from program.certificates.models import Certificate
    from program.certificates.services import certificate_issue, certificate_pdf

    repeat = repeat_of(ctx, 15)
    cold, served, stored = [], [], []
    with transaction.atomic():
        user = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:8]}@bench.invalid", full_name="Bench Leader")
        certificates = [
            certificate_issue(
                user=user,
                learner_name=NAMES[i % len(NAMES)],
                program_title="9 Steps to Leading a Rock Star Sales Team",
                completed_on=date(2026, 11, 20),
                hours=Decimal("12"),
                notify=False,
            )
            for i in range(repeat)
        ]
        certificate_pdf(certificate=certificates[0])  # warm fonts once: "cold" means no stored PDF
        stored.append(Certificate.objects.get(pk=certificates[0].pk).pdf.name)
        for certificate in certificates[1:] + certificates[:1]:
            certificate = Certificate.objects.get(pk=certificate.pk)
            certificate.pdf = ""
            certificate.pdf_content_hash = ""
            start = time.perf_counter()
            certificate = certificate_pdf(certificate=certificate)
            cold.append(time.perf_counter() - start)
            stored.append(certificate.pdf.name)
        for certificate in certificates:
            start = time.perf_counter()
            fresh = certificate_pdf(certificate=Certificate.objects.get(pk=certificate.pk))
            with fresh.pdf.open("rb") as fh:
                body = fh.read()
            served.append(time.perf_counter() - start)
            assert body.startswith(b"%PDF-")
        storage = Certificate._meta.get_field("pdf").storage
        transaction.set_rollback(True)
    for name in stored:
        if name and storage.exists(name):
            storage.delete(name)
    rows = [
        {"name": "certificate PDF cold render + store", "n": len(cold), **latency_ms(cold), "target_ms": 1000},
        {"name": "certificate PDF served from storage", "n": len(served), **latency_ms(served), "target_ms": 20},
    ]
    if hasattr(ctx, "measure"):  # under bench/run.py: the demo graduate's download over HTTP
        rows.extend(_http_rows(ctx))
    return rows


def _http_rows(ctx) -> list[dict]:
    from program.certificates.models import Certificate
    from program.certificates.services import certificate_pdf

    certificate = Certificate.objects.filter(user__email="graduate@huddle.test", status="valid").first()
    if certificate is None:
        return []
    certificate_pdf(certificate=certificate)  # stored once; the load test then serves it
    cookie = ctx.session_cookie("graduate@huddle.test")
    url = f"/certificates/{certificate.code}/download/"
    return [ctx.measure("certificate download (stored PDF, HTTP)", url, cookie=cookie)]


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    for row in run({}):
        print(row)
