"""The user's Wagtail permission rows in one query (issue 16: a cold admin page read them in three).

Wagtail's three permission policies each read their rows (`get_all_permissions_for_user`): the page
permissions with their page and permission, the collection permissions with their collection and
permission, the site permissions with their permission, all for the groups the user is in. Here the
three are one UNION ALL, every row in one layout (its kind, its own columns, its permission's, the
page's, the collection's; a NULL of the column's type where a kind has none), made back into the
instances Wagtail's `select_related` makes (`Model.from_db`, the related objects assigned)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Cast
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, GroupSitePermission, Page

# (row model, its object's field, the object's model kept along) in the order of the policies' lists
KINDS = ((GroupPagePermission, "page", Page), (GroupCollectionPermission, "collection", Collection))
KINDS += ((GroupSitePermission, "site", None),)
_KEPT = (Permission, Page, Collection)  # the related models' columns, in this order after the row's


def _columns(model) -> list:
    return list(model._meta.concrete_fields)


def _branch(kind: int, user):
    model, name, related = KINDS[kind]
    columns = {"c_kind": Value(kind, output_field=IntegerField())}
    for field in ("id", "group_id", f"{name}_id", "permission_id"):
        columns[f"c_row_{len(columns)}"] = F(field)
    for kept in _KEPT:
        prefix = "permission" if kept is Permission else name if kept is related else None
        for field in _columns(kept):
            value = F(f"{prefix}__{field.attname}") if prefix else Cast(Value(None), output_field=field)
            columns[f"c_{kept._meta.model_name}_{field.attname}"] = value
    return model.objects.filter(group__user=user).annotate(**columns).values_list(*columns)


def read(user) -> tuple[list, list, list]:
    """(page permissions, collection permissions, site permissions) of `user`, as Wagtail's policies
    read them, from one query."""
    first, *others = (_branch(kind, user) for kind in range(len(KINDS)))
    query = first.union(*others, all=True).order_by("c_kind", "c_row_1")
    lists: tuple[list, list, list] = ([], [], [])
    for values in query:
        kind = values[0]
        model, name, related = KINDS[kind]
        row = model.from_db(query.db, ["id", "group_id", f"{name}_id", "permission_id"], values[1:5])
        start = 5
        for kept in _KEPT:
            fields = [field.attname for field in _columns(kept)]
            if kept is Permission or kept is related:
                instance = kept.from_db(query.db, fields, values[start : start + len(fields)])
                setattr(row, "permission" if kept is Permission else name, instance)
            start += len(fields)
        lists[kind].append(row)
    return lists
