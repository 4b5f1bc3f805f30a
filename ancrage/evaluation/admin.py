from django.contrib import admin

from .models import EvaluationIndicator, Framework, FrameworkItem, Theme


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
