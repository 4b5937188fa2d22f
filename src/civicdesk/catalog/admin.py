from django.contrib import admin

from .models import BusinessHours, Department, PriorityRule, Service, ServiceQuestion


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email", "phone", "timezone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BusinessHoursInline]


class ServiceQuestionInline(admin.StackedInline):
    model = ServiceQuestion
    extra = 0


class PriorityRuleInline(admin.TabularInline):
    model = PriorityRule
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["service_code", "name", "department", "group", "sla_hours", "visibility", "block_only", "moderated", "active"]
    list_filter = ["department", "active", "visibility", "group"]
    search_fields = ["service_code", "name", "name_es", "keywords"]
    inlines = [ServiceQuestionInline, PriorityRuleInline]
