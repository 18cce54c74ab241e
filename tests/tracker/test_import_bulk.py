"""Applying and undoing an import, set-based (on PostgreSQL the database compares and writes; on
SQLite cells_write does): one history row per changed cell with its old and new value, none for an
unchanged cell, all or nothing, and undo keeps what was corrected by hand. Runs on both databases."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tracker import services
from tracker.models import Result, ResultImport, ValueChange
from tracker.services import cells_sql

MARCH, APRIL = datetime.date(2024, 3, 1), datetime.date(2024, 4, 1)


def _preview(team, leader, text: str) -> ResultImport:
    return services.results_import_preview(team=team, uploaded_by=leader, filename="m.csv", data=text.encode())


def _stored(team) -> dict:
    rows = Result.objects.filter(member__team=team).values_list("member__name", "metric__name", "month", "value")
    return {(m, k, mo): v for m, k, mo, v in rows}


@pytest.fixture
def before(team, members, metrics):
    """Ana's March sales 100 and closings 4, entered in the grid before the import."""
    ana = members[0]
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="results",
        values={(ana.pk, metrics[0].pk): D("100"), (ana.pk, metrics[1].pk): D("4")},
    )
    return ana


def test_apply_records_one_history_row_per_changed_cell_with_old_and_new(team, members, metrics, leader, before):
    preview = _preview(
        team,
        leader,
        "member,month,Sales,Closings\nAna Diaz,2024-03,150,4\nBen Cole,2024-03,80,2\nAna Diaz,2024-04,90.5,\n",
    )
    counts = services.results_import_apply(result_import=preview, applied_by=leader)
    assert counts == {"created": 3, "changed": 1, "removed": 0}  # Ana's closings (4) is unchanged
    history = ValueChange.objects.filter(source_import=preview, how="import")
    recorded = {(c.member.name, c.metric.name, c.month, c.old_value, c.new_value) for c in history}
    assert recorded == {
        ("Ana Diaz", "Sales", MARCH, D("100"), D("150")),
        ("Ben Cole", "Sales", MARCH, None, D("80")),
        ("Ben Cole", "Closings", MARCH, None, D("2")),
        ("Ana Diaz", "Sales", APRIL, None, D("90.5")),
    }
    assert {(c.changed_by, c.kind, c.team_id) for c in history} == {(leader, "result", team.pk)}
    assert len({c.changed_at for c in history}) == 1  # one moment for the whole import
    assert _stored(team)[("Ana Diaz", "Closings", MARCH)] == D("4")
    assert Result.objects.filter(source_import=preview).count() == 4  # the unchanged cell keeps its origin


def test_apply_is_all_or_nothing(team, members, metrics, leader, before, monkeypatch):
    preview = _preview(team, leader, "member,month,Sales,Closings\nAna Diaz,2024-03,150,5\nBen Cole,2024-03,80,2\n")
    stored, changes = _stored(team), ValueChange.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the database went away half way")

    monkeypatch.setattr(cells_sql, "bump_data_version", broken)  # fails after the values were written
    monkeypatch.setattr("tracker.services.cells.bump_data_version", broken)
    with pytest.raises(RuntimeError):
        services.results_import_apply(result_import=preview, applied_by=leader)
    assert _stored(team) == stored and ValueChange.objects.count() == changes
    assert ResultImport.objects.get(pk=preview.pk).status == ResultImport.Status.PREVIEW


def test_apply_refuses_when_a_member_left_since_the_preview(team, members, metrics, leader, before):
    preview = _preview(team, leader, "member,month,Sales\nAna Diaz,2024-03,150\nBen Cole,2024-03,80\n")
    members[1].active = False
    members[1].save()
    with pytest.raises(ValidationError, match="team changed"):
        services.results_import_apply(result_import=preview, applied_by=leader)
    assert _stored(team)[("Ana Diaz", "Sales", MARCH)] == D("100")
    assert not ValueChange.objects.filter(how="import").exists()


def test_undo_keeps_a_hand_correction_and_records_each_cell_it_puts_back(team, members, metrics, leader, before):
    ana, ben = members[0], members[1]
    preview = _preview(team, leader, "member,month,Sales,Closings\nAna Diaz,2024-03,150,7\nBen Cole,2024-03,80,2\n")
    services.results_import_apply(result_import=preview, applied_by=leader)
    services.month_values_save(  # corrected by hand after the import: Ben's sales, Ana's closings cleared
        team=team,
        month=MARCH,
        kind="results",
        values={(ben.pk, metrics[0].pk): D("85"), (ana.pk, metrics[1].pk): None},
        changed_by=leader,
    )
    plan = services.undo_plan(result_import=preview)
    assert (plan.restored, plan.removed, len(plan.kept)) == (1, 1, 2)
    plan = services.results_import_undo(result_import=preview, undone_by=leader)
    assert (plan.restored, plan.removed) == (1, 1)
    assert plan.kept == [
        {"member": ana.pk, "metric": metrics[1].pk, "month": "2024-03-01", "imported": "7", "now": None},
        {"member": ben.pk, "metric": metrics[0].pk, "month": "2024-03-01", "imported": "80", "now": "85"},
    ]
    assert _stored(team) == {("Ana Diaz", "Sales", MARCH): D("100"), ("Ben Cole", "Sales", MARCH): D("85")}
    undone = ValueChange.objects.filter(source_import=preview, how="undo")
    assert {(c.member.name, c.metric.name, c.old_value, c.new_value, c.changed_by) for c in undone} == {
        ("Ana Diaz", "Sales", D("150"), D("100"), leader),
        ("Ben Cole", "Closings", D("2"), None, leader),
    }
    assert Result.objects.get(member=ana, metric=metrics[0], month=MARCH).source_import is None
    assert ResultImport.objects.get(pk=preview.pk).undo_kept == plan.kept
