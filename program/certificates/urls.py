from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("issuer.json", views.issuer, name="issuer"),
    path("issuer/jwks.json", views.jwks, name="jwks"),
    path("status/revocation", views.status_list, name="status_list"),
    path("check/", views.check, name="check"),
    path("verify/<str:code>.json", views.verify_json, name="verify_json"),
    path("verify/<str:code>.jwt", views.verify_jwt, name="verify_jwt"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/download/", views.download, name="download"),
    path("<str:code>/reissue/", views.reissue, name="reissue"),
    path("<str:code>/paper/", views.paper_size, name="paper_size"),
]
