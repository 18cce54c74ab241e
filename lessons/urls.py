from django.urls import path

from . import views
from .reports.funnel import views as funnel_views

app_name = "lessons"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("lessons/<int:pk>/complete/", views.complete, name="complete"),
    path("lessons/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("lessons/<int:pk>/reflection/<str:block_id>/", views.reflection, name="reflection"),
    path("lessons/<int:pk>/commit/<str:block_id>/", views.commit, name="commit"),
    path("commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
    path("coach/funnel/", funnel_views.funnel, name="funnel"),
    path("my-learning/reflections/", views.my_reflections, name="my_reflections"),
]
