import hashlib

from django.db import migrations


def hash_tokens(apps, schema_editor):
    """Replace each clear feed token by its SHA-256, as `work.models.feed_token_hash` does,
    so the addresses people subscribed to keep working."""
    CalendarFeed = apps.get_model("work", "CalendarFeed")
    for feed in CalendarFeed.objects.all().only("pk", "token_hash"):
        feed.token_hash = hashlib.sha256(feed.token_hash.encode()).hexdigest()
        feed.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("work", "0003_calendarfeed_token_hash"),
    ]

    # A hash cannot be turned back into the address: after going back, people make new
    # addresses (the old ones then answer 404).
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
