"""Pure helpers with no models and no Django imports: environment parsing, paths, money,
dates, request parameters, text. Everything here is typed and checked by mypy."""
