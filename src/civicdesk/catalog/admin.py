from django.contrib import admin
from parler.admin import TranslatableStackedInline

from civicdesk.core.admin import MachineDraftAdmin

from .models import BusinessHours, Department, PriorityRule, Service, ServiceQuestion

# Texts in each of the agency's languages: parler's language tabs, one language at a time,
# with a machine draft for a language not written yet (core/admin.py).


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


@admin.register(Department)
class DepartmentAdmin(MachineDraftAdmin):
    list_display = ["name", "slug", "email", "phone", "timezone"]
    inlines = [BusinessHoursInline]


class ServiceQuestionInline(TranslatableStackedInline):
    model = ServiceQuestion
    extra = 0


class PriorityRuleInline(admin.TabularInline):
    model = PriorityRule
    extra = 0


@admin.register(Service)
class ServiceAdmin(MachineDraftAdmin):
    list_display = ["service_code", "name", "department", "sla_hours", "visibility", "block_only", "moderated", "active"]
    list_filter = ["department", "active", "visibility"]
    search_fields = ["service_code", "translations__name", "keywords"]
    inlines = [ServiceQuestionInline, PriorityRuleInline]
