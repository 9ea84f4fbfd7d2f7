"""crewplan's date formats, one per language (settings.FORMAT_MODULE_PATH): Django's |date
and |time filters read them by name (DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT,
SHORT_DATETIME_FORMAT). Machine formats (<input type=date>, data-day, exports, iCal) keep
their explicit ISO formats."""
