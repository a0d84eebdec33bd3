"""URLs: the helpdesk at the root, with static files served by Django itself."""

from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

urlpatterns = [
    path("", include("helpdesk.urls", namespace="helpdesk")),
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
]
