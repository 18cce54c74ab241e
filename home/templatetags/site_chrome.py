"""`{% shared_fragment "name" [vary ...] %}...{% endshared_fragment %}`: HTML that is the same for
every visitor (the footer, the menu), rendered once per process, site, menu and settings versions and the values
of the optional `vary` arguments (e.g. signed in or not, the current menu item).

The key carries the menu and settings versions (home.core.caching.versions), which move when a top-level
page is published, moved or deleted and when the site settings are saved, so the fragment is never
older than the content it shows; it is also re-rendered at least every few minutes. Put nothing per-user or per-request inside: no user, no
CSRF token, no messages, no request path.
"""

from django import template

from home.core.caching import memo
from home.core.caching.versions import MENU_VERSION_KEY, SETTINGS_VERSION_KEY, current_version

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        name = self.name.resolve(context)
        site = getattr(context.get("request"), "_wagtail_site", None)
        vary = ":".join(str(value.resolve(context)) for value in self.vary)
        versions = f"{current_version(MENU_VERSION_KEY)}:{current_version(SETTINGS_VERSION_KEY)}"
        key = f"home:fragment:{name}:{getattr(site, 'pk', '-')}:{versions}:{vary}"
        html = memo.recall(key)
        if html is None:
            html = self.nodelist.render(context)
            memo.remember({key: html})
        return html


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs the fragment's name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
