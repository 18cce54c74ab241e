"""Wagtail's aging-pages and site-history reports, subclassed to stop re-reading what they already
have (issue 16). Same rows, filters, permissions, exports and templates as Wagtail's:

- Aging pages: the last publisher's name comes in the pages query (a second subquery beside
  Wagtail's user id one), not in a values() query plus a users query after it (14 -> 12).
- Site history: the log models' `viewable_by_user` querysets (each a permission walk, plus a
  page-type count for the root page's "can add" test) are built once per request instead of once
  for the rows and once for each of the three filters; the filters' actions, user ids and content
  types and the model log's permitted content types are kept between requests (log_filters.py); the logged pages' edit links are found with
  one base-`Page` query instead of one query per page type; each entry's user and profile come in
  its own query (select_related) and content types from Django's content-type cache. Cold, the
  filters' DISTINCT reads are one UNION query; the visible page entries use the explorer's policy
  (no common-ancestor read) and read the root only when a permission is on a root (and then not
  when it is the first root's); the first page is counted from its rows (17 -> 12 cold, coach;
  16 -> 10, superuser).
- Both put the request's Site where Wagtail looks for it (the shared, versioned cache of
  home.core.caching.routing), so the rows' page URLs cost no Site query.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry
from wagtail.users.utils import get_deleted_user_display_name

from home.core.caching.routing import site_for_request

from . import log_filters
from .explorer import ExplorerPagePermissionPolicy, FirstPageCountingPaginator


class _SiteFromCacheMixin:
    def dispatch(self, request, *args, **kwargs):
        site_for_request(request)  # sets request._wagtail_site, which Site.find_for_request reads
        return super().dispatch(request, *args, **kwargs)


class FewerQueriesAgingPagesView(_SiteFromCacheMixin, AgingPagesView):
    def get_queryset(self):
        queryset = super().get_queryset()
        username_field = get_user_model().USERNAME_FIELD
        publishes = PageLogEntry.objects.filter(page=OuterRef("pk"), action__exact="wagtail.publish")
        return queryset.annotate(last_published_by_username=Subquery(publishes.values(f"user__{username_field}")[:1]))

    def decorate_paginated_queryset(self, queryset):
        for page in queryset:
            if not page.last_published_by:
                page.last_published_by_user = ""
            elif page.last_published_by_username is not None:
                page.last_published_by_user = page.last_published_by_username
            else:  # the publisher's account was deleted since: Wagtail's wording
                page.last_published_by_user = get_deleted_user_display_name(
                    user_id=self.user_id_to_python(page.last_published_by)
                )
        return queryset


def viewable_log_entries(request, log_model):
    """`log_model.objects.viewable_by_user(request.user)`, built once per request (a lazy queryset:
    each use clones it), after the kept filter data put its model-log permissions on the user."""
    kept = request.__dict__.setdefault("_huddle_viewable_log_entries", {})
    if log_model not in kept:
        log_filters.kept(request)
        if log_model is PageLogEntry:
            kept[log_model] = _viewable_page_log_entries(request.user)
        else:
            kept[log_model] = log_model.objects.viewable_by_user(request.user)
    return kept[log_model]


def _viewable_page_log_entries(user):
    """Wagtail's `PageLogEntryManager.viewable_by_user` (the entries of the pages she may explore;
    those of deleted pages too when she may add below or edit the first root node), with the
    explorer's policy (no common-ancestor read, home/admin_views/explorer.py) and without reading
    the root node when none of her page permissions is on a root: then Wagtail's root permissions
    (her permissions on the root and its ancestors, i.e. on the root) are empty, so she can neither
    add below it nor edit it, and Wagtail's root read and page-type COUNT answer nothing."""
    policy = ExplorerPagePermissionPolicy()
    q = Q(page__in=policy.explorable_instances(user).values_list("pk", flat=True))
    if user.is_superuser or _may_see_deleted_pages(user, policy):
        q |= Q(page_id__in=Subquery(PageLogEntry.objects.filter(deleted=True).values("page_id")))
    return PageLogEntry.objects.filter(q)


def _may_see_deleted_pages(user, policy) -> bool:
    """Wagtail's root test; the first root node is the permission's own page when a permission is on
    the tree's first possible root path (then it is `Page.get_first_root_node()`, not read again)."""
    on_roots = [perm.page for perm in policy.get_cached_permissions_for_user(user) if perm.page.depth == 1]
    if not user.is_active or not on_roots:
        return False
    first_path = Page._get_path(None, 1, 1)
    root = next((page for page in on_roots if page.path == first_path), None) or Page.get_first_root_node()
    root_permissions = root.permissions_for_user(user)
    return root_permissions.can_add_subpage() or root_permissions.can_edit()


def _each_log_model(request):
    return [viewable_log_entries(request, model) for model in log_action_registry.get_log_entry_models()]


def _filter_data(request) -> dict:
    """What Wagtail's filters read, kept between requests (home/admin_views/log_filters.py): the
    actions and content type ids of the log entries the user may see (`get_actions`,
    `get_content_type_ids` of each log model's visible entries) and the ids of the users of the
    filterset's own queryset (`HistoryFilterSet.get_users_queryset`: the view gives none, so
    django-filter's default, every entry of `Meta.model`, as in Wagtail)."""
    data = log_filters.kept(request)
    if data is not None:
        return data
    actions, content_type_ids, user_ids = set(), set(), set()
    for kind, text, number in _filter_rows(request):
        if kind == _ACTION:
            actions.add(text)
        elif kind == _CONTENT_TYPE:
            content_type_ids.add(number)
        else:
            user_ids.add(number)
    return log_filters.keep(request, actions=actions, user_ids=user_ids, content_type_ids=content_type_ids)


_ACTION, _CONTENT_TYPE, _USER = 0, 1, 2


def _rows(queryset, *, kind: int, text: str | None = None, number: str | int | None = None):
    """(kind, text, number) rows of `queryset`, DISTINCT, typed alike for a UNION."""
    return (
        queryset.order_by()
        .annotate(
            filter_kind=Value(kind, output_field=IntegerField()),
            filter_text=F(text) if text else Value("", output_field=CharField()),
            # a parameter's type is unknown to PostgreSQL, which types an untyped NULL or number in a
            # UNION as text: both cast (as home/admin_views/permission_rows.py does)
            filter_number=F(number) if isinstance(number, str) else Cast(Value(number), output_field=IntegerField()),
        )
        .values_list("filter_kind", "filter_text", "filter_number")
        .distinct()
    )


def _filter_rows(request):
    """Wagtail's filter reads in one UNION query: each log model's visible actions
    (`get_actions`) and content types (`get_content_type_ids`: a page log's entries are all of the
    base Page type, one row when there is any) and the user ids of the filterset's own queryset
    (`get_users_queryset` with no queryset given: django-filter's default, every entry of
    `Meta.model`, as in Wagtail)."""
    page_type_id = ContentType.objects.get_for_model(Page).pk
    parts = []
    for entries in _each_log_model(request):
        parts.append(_rows(entries, kind=_ACTION, text="action"))
        if issubclass(entries.model, PageLogEntry):
            parts.append(_rows(entries, kind=_CONTENT_TYPE, number=page_type_id))
        else:
            parts.append(_rows(entries, kind=_CONTENT_TYPE, number="content_type_id"))
    all_entries = FewerQueriesSiteHistoryFilterSet._meta.model._default_manager.all()
    parts.append(_rows(all_entries, kind=_USER, number="user_id"))
    return list(parts[0].union(*parts[1:], all=True))


def _content_types_for_filter(request):
    return ContentType.objects.filter(pk__in=_filter_data(request)["content_type_ids"]).order_by("model")


class FewerQueriesSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(label=_("Type"), method="filter_object_type", queryset=_content_types_for_filter)

    def get_action_choices(self):
        actions = set(_filter_data(self.request)["actions"])
        return [action for action in log_action_registry.get_choices() if action[0] in actions]

    def get_users_queryset(self):
        User = get_user_model()
        return User.objects.filter(pk__in=_filter_data(self.request)["user_ids"]).order_by(User.USERNAME_FIELD)

    class Meta(SiteHistoryReportFilterSet.Meta):
        pass


class FewerQueriesSiteHistoryView(_SiteFromCacheMixin, LogEntriesView):
    filterset_class = FewerQueriesSiteHistoryFilterSet
    paginator_class = FirstPageCountingPaginator  # no COUNT when the rows fit the first page

    def get_filtered_queryset(self):
        """Wagtail's union of the log models' visible entries (see LogEntriesView), each model's
        visible entries built once for the request."""
        queryset = None
        self.log_models = list(log_action_registry.get_log_entry_models())
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                viewable_log_entries(self.request, log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        pks_by_index = defaultdict(list)
        for row in queryset:
            pks_by_index[row["log_model_index"]].append(row["pk"])
        url_finder = AdminURLFinder(self.request.user)
        found = {}
        for index, pks in pks_by_index.items():
            log_model = self.log_models[index]
            entries = list(log_model.objects.select_related("user__wagtail_userprofile").filter(pk__in=pks))
            instances = _logged_instances(log_model, entries)
            for entry in entries:
                entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)
                instance = instances.get((entry.content_type_id, str(entry.object_id)))
                entry.edit_url = url_finder.get_edit_url(instance)
                found[(index, entry.pk)] = entry
        return [found[(row["log_model_index"], row["pk"])] for row in queryset]


def _logged_instances(log_model, entries) -> dict:
    """(content type id, object id) -> the logged object or None, as Wagtail's `with_instances`
    finds them; pages of every type in one query of the base Page (all an edit link needs: the id,
    the depth and the page's permissions and workflow, which the base Page answers the same)."""
    if not issubclass(log_model, PageLogEntry):  # as `with_instances`, on the entries already read
        ids_by_type = defaultdict(list)
        for entry in entries:
            ids_by_type[entry.content_type_id].append(entry.object_id)
        found = {}
        for content_type_id, ids in ids_by_type.items():
            try:
                model = ContentType.objects.get_for_id(content_type_id).model_class()
            except ContentType.DoesNotExist:
                model = None
            for pk, instance in (model.objects.in_bulk(ids) if model else {}).items():
                found[(content_type_id, str(pk))] = instance
        return {key: found.get(key) for key in ((e.content_type_id, str(e.object_id)) for e in entries)}
    pages = Page.objects.in_bulk({entry.page_id for entry in entries})
    return {(entry.content_type_id, str(entry.object_id)): pages.get(entry.page_id) for entry in entries}
