"""URLs that exist only while benchmarking (BENCHMARK=1): the baseline view."""

from django.http import HttpResponse
from django.urls import path


def baseline(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/baseline", baseline, name="bench_baseline")]
