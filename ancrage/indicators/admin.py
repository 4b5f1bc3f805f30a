from django.contrib import admin

from .models import QualityWarning


@admin.register(QualityWarning)
class QualityWarningAdmin(admin.ModelAdmin):
    list_display = ["kind", "sheet", "reference", "message", "programme"]
    list_filter = ["programme", "kind", "sheet"]
    search_fields = ["reference"]
    readonly_fields = ["programme", "kind", "sheet", "reference", "message", "details"]

    def has_add_permission(self, request) -> bool:
        return False
