from django.urls import path

from . import newsletter_views

# Included inside home/urls.py: names live in the "home" namespace.
urlpatterns = [
    path("newsletter/subscribe/", newsletter_views.subscribe, name="newsletter_subscribe"),
    path("newsletter/confirm/<str:token>/", newsletter_views.confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", newsletter_views.unsubscribe, name="newsletter_unsubscribe"),
]
