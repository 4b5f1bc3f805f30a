from django.contrib import admin

from .models import Action, ActionStructure, Participation, Person, Structure


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "commune"]
    list_filter = ["programme", "kind", "commune__territory"]
    search_fields = ["code", "name", "commune__name"]
    list_select_related = ["commune"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["code", "territory", "profession", "structure"]
    list_filter = ["programme", "territory", "profession"]
    search_fields = ["code", "profession", "structure__name"]
    list_select_related = ["structure", "territory"]
    raw_id_fields = ["structure"]


class ReadOnlyInline(admin.TabularInline):
    """Links carry fields copied from their action: the services write them, not this form."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionStructureInline(ReadOnlyInline):
    model = ActionStructure
    fields = ["structure", "position"]


class ParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ["person"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Read-mostly: actions are written through the workbook or the services, which keep
    the copied fields of participations and structure links in step."""

    list_display = ["code", "modality", "territory", "start", "children", "adults", "parents"]
    list_filter = ["programme", "modality", "territory", "school_year"]
    search_fields = ["code", "title"]
    date_hierarchy = "start"
    list_select_related = ["territory"]
    inlines = [ActionStructureInline, ParticipationInline]
    readonly_fields = ["programme", "modality", "territory", "start", "school_year"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "action", "modality", "territory", "school_year"]
    list_filter = ["programme", "modality", "territory", "school_year"]
    search_fields = ["person__code", "action__code"]
    raw_id_fields = ["person", "action"]
    list_select_related = ["person", "action", "territory"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
