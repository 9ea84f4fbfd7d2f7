from django.db import migrations, models


class Migration(migrations.Migration):
    """Feeds keep a hash of their token, not the token (the values are hashed by 0004)."""

    dependencies = [
        ("work", "0002_calendar_day_english_name"),
    ]

    operations = [
        migrations.RenameField(model_name="calendarfeed", old_name="token", new_name="token_hash"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
