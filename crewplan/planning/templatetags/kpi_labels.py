"""Labels of the KPI catalogue's words in the active language: {% load kpi_labels %}."""

from django import template

from crewplan.planning.goals.messages import metric_name, unit_name

register = template.Library()

register.filter("metric_label", metric_name)
register.filter("unit_label", unit_name)
