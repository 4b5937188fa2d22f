from django.contrib import admin
from parler.admin import TranslatableAdmin, TranslatableStackedInline

from .models import BusinessHours, Department, PriorityRule, Service, ServiceQuestion

# Texts in each of the agency's languages: parler's language tabs, one language at a time.


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


@admin.register(Department)
class DepartmentAdmin(TranslatableAdmin):
    list_display = ["name", "slug", "email", "phone", "timezone"]
    inlines = [BusinessHoursInline]


class ServiceQuestionInline(TranslatableStackedInline):
    model = ServiceQuestion
    extra = 0


class PriorityRuleInline(admin.TabularInline):
    model = PriorityRule
    extra = 0


@admin.register(Service)
class ServiceAdmin(TranslatableAdmin):
    list_display = ["service_code", "name", "department", "sla_hours", "visibility", "block_only", "moderated", "active"]
    list_filter = ["department", "active", "visibility"]
    search_fields = ["service_code", "translations__name", "keywords"]
    inlines = [ServiceQuestionInline, PriorityRuleInline]
