from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Shelf",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("label", models.CharField(max_length=20))],
        ),
        migrations.AddField(
            model_name="shelf",
            name="floor",
            field=models.IntegerField(),
        ),
        migrations.AddField(
            model_name="book",
            name="isbn",
            field=models.CharField(max_length=13),
        ),
        migrations.AddField(
            model_name="book",
            name="subtitle",
            field=models.CharField(max_length=200, null=True, blank=True),
        ),
        migrations.AddField(
            model_name="book",
            name="pages",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="book",
            name="shelf",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to="library.shelf"),
        ),
        migrations.RemoveField(
            model_name="book",
            name="legacy_code",
        ),
        migrations.RenameField(
            model_name="book",
            old_name="name",
            new_name="title",
        ),
        migrations.AddIndex(
            model_name="book",
            index=models.Index(fields=["title"], name="book_title_idx"),
        ),
        migrations.AddConstraint(
            model_name="book",
            constraint=models.UniqueConstraint(fields=("isbn",), name="book_isbn_uniq"),
        ),
        migrations.AddConstraint(
            model_name="book",
            constraint=models.CheckConstraint(check=models.Q(pages__gte=0), name="book_pages_gte_0"),
        ),
        migrations.DeleteModel(
            name="Author",
        ),
        migrations.RenameModel(
            old_name="Publisher",
            new_name="Imprint",
        ),
        migrations.AlterField(
            model_name="book",
            name="title",
            field=models.CharField(max_length=300),
        ),
    ]
