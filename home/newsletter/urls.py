from django.urls import path

from . import views

# Included inside home/urls.py: the names stay in the "home" namespace ("home:newsletter_confirm").
urlpatterns = [
    path("newsletter/subscribe/", views.subscribe, name="newsletter_subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
]
