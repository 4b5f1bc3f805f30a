from django.contrib import admin

from .models import CoordinationDays, DeclaredTotal, Objective, Programme


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


class CoordinationInline(admin.TabularInline):
    model = CoordinationDays
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "replication_rate", "children_per_adult"]
    search_fields = ["name"]
    inlines = [ObjectiveInline, CoordinationInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["target", "territory", "minimum", "maximum", "period", "programme"]
    list_filter = ["programme", "period", "target", "territory"]


@admin.register(CoordinationDays)
class CoordinationDaysAdmin(admin.ModelAdmin):
    list_display = ["territory", "school_year", "days", "programme"]
    list_filter = ["programme", "territory", "school_year"]


@admin.register(DeclaredTotal)
class DeclaredTotalAdmin(admin.ModelAdmin):
    list_display = ["target", "territory", "value", "source", "programme"]
    list_filter = ["programme", "target"]
