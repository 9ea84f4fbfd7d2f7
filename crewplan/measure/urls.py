from django.urls import path  # noqa: F401  (the measure pages' routes land here)

urlpatterns: list = []  # type: ignore[type-arg]
