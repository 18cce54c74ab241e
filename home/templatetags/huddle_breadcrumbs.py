"""`huddle_page_breadcrumbs`: Wagtail's `page_breadcrumbs` tag (same arguments and template) with
the items from home/admin_views/breadcrumbs.py (the ancestors the view read with the page)."""

from django import template

from home.admin_views.breadcrumbs import breadcrumbs_items

register = template.Library()


@register.inclusion_tag("wagtailadmin/shared/breadcrumbs.html", takes_context=True)
def huddle_page_breadcrumbs(
    context,
    page,
    url_name,
    url_root_name=None,
    include_self=True,
    is_expanded=False,
    querystring_value="",
    trailing_breadcrumb_title=None,
    classname=None,
    icon_name=None,
):
    items = breadcrumbs_items(page, context["request"].user, url_name, url_root_name, include_self, querystring_value)
    if trailing_breadcrumb_title:
        items.append({"label": trailing_breadcrumb_title})
    if len(items) == 1:
        is_expanded = True
    return {"items": items, "is_expanded": is_expanded, "classname": classname, "icon_name": icon_name}
