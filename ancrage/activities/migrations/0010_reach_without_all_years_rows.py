from django.db import migrations

ALL_YEARS = 0  # Reach.ALL_YEARS


def drop_all_years_rows(apps, schema_editor):
    """The all-years totals are now counted from the per-year rows (activities/summaries.py):
    their rows go; the totals, already right, stay."""
    Reach = apps.get_model("activities", "Reach")
    Reach.objects.filter(school_year=ALL_YEARS).delete()


def restore_all_years_rows(apps, schema_editor):
    """Back to the code that reads them: each member of a per-year row of the programme's
    school years gets its all-years row again (the totals did not change)."""
    from ancrage.core.schoolyear import school_years_between

    Reach = apps.get_model("activities", "Reach")
    table = schema_editor.quote_name(Reach._meta.db_table)
    for programme in apps.get_model("programmes", "Programme").objects.all():
        years = school_years_between(programme.start, programme.end)
        if not years:
            continue
        schema_editor.execute(
            f"INSERT INTO {table} (programme_id, public, school_year, member) "
            f"SELECT DISTINCT programme_id, public, {ALL_YEARS}, member FROM {table} "
            f"WHERE programme_id = %s AND school_year IN ({', '.join(['%s'] * len(years))})",
            [programme.pk, *years],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0009_programme_indexed_by_codes"),
        ("programmes", "0004_figures_versions"),
    ]

    operations = [migrations.RunPython(drop_all_years_rows, restore_all_years_rows)]
