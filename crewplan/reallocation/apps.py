from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReallocationConfig(AppConfig):
    name = "crewplan.reallocation"
    label = "reallocation"
    verbose_name = _("Reallocation")
