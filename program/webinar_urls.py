from django.urls import path

from . import webinar_views

# Included inside program/urls.py, so the names live in the "program" namespace.
urlpatterns = [
    path("webinar/cancel/<str:token>/", webinar_views.webinar_cancel, name="webinar_cancel"),
    path("webinar/join/<str:token>/", webinar_views.webinar_join_redirect, name="webinar_join"),
]
