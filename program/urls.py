from django.urls import include, path

app_name = "program"
urlpatterns: list = [
    path("", include("program.webinar_urls")),  # webinar cancel/join links (issue 6)
]
