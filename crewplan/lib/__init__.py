"""Pure helpers with no models and no Django imports: environment parsing, paths,
later money, dates and encodings. Everything here is typed and checked by mypy."""
