"""Django's message middleware, with the storage made on first use.

Django's `MessageMiddleware` builds the message storage (a cookie storage with its signer and a
session storage) on every request, and most requests (a page, a static file, a webhook) never
show or add a message. Here `request._messages` is a lazy object: made by the same
`default_storage(request)` the first time a view, a template (`{% if messages %}`) or
`messages.add_message` touches it, and written back to the response only then (an untouched
storage writes nothing in Django's either: no message read, none added).
"""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = request.__dict__.get("_messages")
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
