from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasureConfig(AppConfig):
    name = "crewplan.measure"
    label = "measure"
    verbose_name = _("Measurement")
