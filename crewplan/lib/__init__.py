"""Helpers with no models: environment parsing, paths, money, dates, request parameters,
text, languages, spreadsheets. All but `file_messages`, `uploads` and `active_language`
import no Django and are pure cores (pyproject.toml's import contracts)."""
