"""Failed sign-ins in the admin, read-only, so a site owner can see an attack and lift a lockout."""

from django.contrib import admin

from adminguard.models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_hash", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["username"]
    date_hierarchy = "created_at"
    readonly_fields = ["username", "ip_hash", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
