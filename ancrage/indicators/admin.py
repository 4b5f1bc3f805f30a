from django.contrib import admin

from .models import QualityWarning


@admin.register(QualityWarning)
class QualityWarningAdmin(admin.ModelAdmin):
    list_display = ["kind", "sheet", "reference", "message", "programme"]
    list_filter = ["programme", "kind", "sheet"]
    search_fields = ["reference", "message"]
    readonly_fields = ["programme", "kind", "sheet", "reference", "message"]

    def has_add_permission(self, request) -> bool:
        return False
