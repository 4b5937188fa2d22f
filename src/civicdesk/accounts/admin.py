from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Resident, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "departments"]
    fieldsets = UserAdmin.fieldsets + (("CivicDesk", {"fields": ["role", "departments", "all_departments", "language"]}),)
    filter_horizontal = ["departments", "groups", "user_permissions"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "preferred_language", "created_at"]
    search_fields = ["email", "first_name", "last_name"]
