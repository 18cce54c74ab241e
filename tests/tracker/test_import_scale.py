"""A large import takes the set-based path (COPY + one upsert on PostgreSQL, bulk_create with
update_conflicts elsewhere) and still records and undoes every value exactly."""

import datetime
from decimal import Decimal as D

import pytest

from tracker import services
from tracker.models import Result, ValueChange
from tracker.services.cells import COPY_FROM

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory

MONTHS = [datetime.date(2024, m, 1) for m in range(1, 7)]


def _big_import(team, leader, members, metrics):
    lines = ["member,month," + ",".join(m.name for m in metrics)]
    for month in MONTHS:
        for i, member in enumerate(members):
            lines.append(f"{member.email},{month:%Y-%m}," + ",".join(str(i + j) for j in range(len(metrics))))
    data = ("\n".join(lines) + "\n").encode()
    return services.results_import_preview(team=team, uploaded_by=leader, filename="big.csv", data=data)


@pytest.mark.postgres
def test_a_big_import_applies_and_undoes_exactly(db):
    leader = TrackerUserFactory()
    team = TeamFactory(leader=leader)
    metrics = [MetricFactory(team=team, name=f"M{j}") for j in range(3)]
    members = [MemberFactory(team=team, start_date=datetime.date(2023, 1, 1)) for _ in range(70)]
    first = members[0]
    services.month_values_save(team=team, month=MONTHS[0], kind="results", values={(first.pk, metrics[0].pk): D("7.5")})
    preview = _big_import(team, leader, members, metrics)
    assert len(preview.rows) == 70 * 6 * 3 >= COPY_FROM
    counts = services.results_import_apply(result_import=preview, applied_by=leader)
    assert counts == {"created": 1259, "changed": 1, "removed": 0}
    assert Result.objects.filter(member__team=team).count() == 1260
    assert Result.objects.get(member=members[5], metric=metrics[2], month=MONTHS[3]).value == D("7")
    assert Result.objects.filter(source_import=preview).count() == 1260
    history = ValueChange.objects.filter(source_import=preview, how="import")
    assert history.count() == 1260
    assert history.get(member=first, metric=metrics[0], month=MONTHS[0]).old_value == D("7.5")
    assert set(history.values_list("changed_by", flat=True)) == {leader.pk}
    # a hand correction after the import survives the undo
    services.month_values_save(team=team, month=MONTHS[1], kind="results", values={(first.pk, metrics[1].pk): D("99")})
    plan = services.results_import_undo(result_import=preview)
    assert len(plan.kept) == 1
    assert dict(Result.objects.filter(member__team=team).values_list("value", "month")) == {
        D("7.5"): MONTHS[0],
        D("99"): MONTHS[1],
    }
    assert ValueChange.objects.filter(how="undo").count() == 1259


@pytest.mark.postgres
def test_postgres_queries_have_a_statement_timeout(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "1min"
        cursor.execute("SHOW jit")  # no JIT compiling for short queries (docs/performance.md, search)
        assert cursor.fetchone()[0] == "off"
