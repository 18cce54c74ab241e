"""`{% url %}` and `{% static %}` with the same syntax, remembered per process
(home.core.caching.urls: `cached_reverse`, `cached_static`). Load this library after `static`:
`{% load static cached_urls %}`; the tags of the last library loaded win."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as url_tag
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from home.core.caching.urls import cached_reverse, cached_static

register = template.Library()


class CachedURLNode(URLNode):
    def render(self, context):  # Django's URLNode.render, with the remembered reverse
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


class CachedStaticNode(StaticNode):
    @classmethod
    def handle_simple(cls, path):
        return cached_static(path)


@register.tag
def url(parser, token):
    node = url_tag(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.tag("static")
def do_static(parser, token):
    return CachedStaticNode.handle_token(parser, token)
