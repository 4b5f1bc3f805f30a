from django.contrib import admin

from .models import (
    EvaluationIndicator,
    EvaluationSettings,
    Framework,
    FrameworkItem,
    Milestone,
    Partner,
    Statement,
    Theme,
)


class FrameworkItemInline(admin.TabularInline):
    model = FrameworkItem
    fields = ["position", "code", "label", "parent", "to_confirm"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version"]
    inlines = [FrameworkItemInline]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "framework", "to_confirm"]
    list_filter = ["framework", "to_confirm"]
    search_fields = ["code", "label"]


class IndicatorInline(admin.StackedInline):
    model = EvaluationIndicator
    extra = 0
    filter_horizontal = ["ottawa_areas"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "programme"]
    list_filter = ["programme"]
    inlines = [IndicatorInline]


@admin.register(EvaluationIndicator)
class EvaluationIndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "theme", "metric", "rule", "target", "evaluator_verdict"]
    list_filter = ["theme__programme", "theme", "evaluator_verdict"]
    search_fields = ["label", "justification"]
    filter_horizontal = ["ottawa_areas"]


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    """The report's opening and closing parts, edited in one place per programme."""

    list_display = ["programme"]
    fields = [
        "programme",
        "description",
        "closing_title",
        "closing_text",
        "eligible_share",
        "eligible_children",
        "structures_approached",
        "free_actions",
        "earlier_cps_actions",
    ]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["programme", "start_year", "end_year", "title"]
    list_filter = ["programme"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "position", "programme"]
    list_filter = ["programme", "kind"]
    search_fields = ["text"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "thanked", "programme"]
    list_filter = ["programme", "kind", "thanked"]
    search_fields = ["name"]
