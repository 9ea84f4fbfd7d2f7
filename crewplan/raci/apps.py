from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RaciConfig(AppConfig):
    name = "crewplan.raci"
    label = "raci"
    verbose_name = _("Who does what (RACI)")
