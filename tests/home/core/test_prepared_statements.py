"""On PostgreSQL a statement a request repeats is planned once per connection (issue 16).

base.py turns on psycopg's server-side binding, so psycopg prepares a statement after its fifth run
on a connection (`prepare_threshold`); PostgreSQL then lists it in `pg_prepared_statements`. The
parameters still change from run to run: the answers must be those of each run's own values.
"""

import pytest
from django.db import connection

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"),
]


def _prepared() -> list[str]:
    connection.ensure_connection()
    rows = connection.connection.execute("SELECT statement FROM pg_prepared_statements", prepare=False).fetchall()
    return [row[0] for row in rows]


def test_a_repeated_orm_query_is_prepared_and_answers_with_each_runs_values():
    from accounts.models import User

    users = UserFactory.create_batch(7)
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    found = [User.objects.filter(pk=user.pk).values_list("email", flat=True).get() for user in users]
    assert found == [user.email for user in users]
    assert any('FROM "accounts_user"' in statement and "$1" in statement for statement in _prepared())
