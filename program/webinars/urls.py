from django.urls import path

from . import views

# Included by config/urls.py in the "program" namespace: the names stay program:webinar_cancel
# and program:webinar_join.
urlpatterns = [
    path("webinar/cancel/<str:token>/", views.webinar_cancel, name="webinar_cancel"),
    path("webinar/join/<str:token>/", views.webinar_join_redirect, name="webinar_join"),
]
