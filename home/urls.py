from django.urls import include, path

from . import views

app_name = "home"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("", include("home.newsletter.urls")),  # newsletter sign-up, confirm, unsubscribe: names stay "home:..."
]
