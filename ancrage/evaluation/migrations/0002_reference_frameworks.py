from django.db import migrations


def load(apps, schema_editor):
    from ancrage.evaluation.reference import load_frameworks

    load_frameworks(apps.get_model("evaluation", "Framework"),
                    apps.get_model("evaluation", "FrameworkItem"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
