from django.contrib import admin

from .models import Commune, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "population", "commune_count", "programme"]
    list_filter = ["programme"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "territory", "population"]
    list_filter = ["programme", "territory"]
    search_fields = ["insee_code", "name"]
