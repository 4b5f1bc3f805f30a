from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from .models import Membership
from .throttle import ThrottledFormMixin


class ThrottledAdminLoginForm(ThrottledFormMixin, AdminAuthenticationForm):
    """/admin/login/ shares the login page's attempt limit (and its locks)."""


admin.site.login_form = ThrottledAdminLoginForm


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role"]
    list_filter = ["programme", "role"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["territories"]
