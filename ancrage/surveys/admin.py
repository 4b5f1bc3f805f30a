from django.contrib import admin

from .models import Choice, Collection, Question, Questionnaire, Response


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "path", "kind", "label", "category", "required"]
    readonly_fields = ["path", "kind"]
    extra = 0
    can_delete = False
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "name", "label", "favorable"]
    readonly_fields = ["name"]
    extra = 0
    can_delete = False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Labels, categories and favourable answers are editable; the structure comes from the
    XLSForm (answers refer to it)."""

    list_display = ["title", "form_id", "public", "modality", "programme"]
    list_filter = ["programme", "public", "modality"]
    search_fields = ["title", "form_id"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "kind", "category", "questionnaire"]
    list_filter = ["questionnaire__programme", "questionnaire", "kind", "category"]
    search_fields = ["name", "label"]
    readonly_fields = ["questionnaire", "name", "path", "kind", "list_name"]
    inlines = [ChoiceInline]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "action", "closes_on"]
    list_filter = ["questionnaire__programme", "questionnaire"]
    search_fields = ["action__code"]
    raw_id_fields = ["action"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Answers are counted, never edited: read-only here."""

    list_display = ["questionnaire", "territory", "school_year", "source", "submitted_at"]
    list_filter = ["programme", "questionnaire", "source", "territory", "school_year"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
