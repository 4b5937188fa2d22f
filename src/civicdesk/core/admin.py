"""Admin helpers shared by the domains."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from parler.admin import TranslatableAdmin

from civicdesk.core.translation import localized
from civicdesk.core.translator import TranslationError, translator


class MachineDraftAdmin(TranslatableAdmin):
    """Parler's language tabs, plus a machine draft for a language the text is not written
    in yet (core/translator.py): the form is filled from the default language's text, and
    nothing is saved until a person reads it and saves."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        engine = translator()
        code = self.get_form_language(request, obj) if obj is not None else settings.LANGUAGE_CODE
        written = obj is not None and type(obj)._parler_meta.root_model.objects.filter(
            master=obj, language_code=code).exists()  # saved, not the empty one the form makes
        if obj is not None and engine.enabled and code != settings.LANGUAGE_CODE and not written:
            if request.method == "GET" and request.GET.get("draft") == "1":
                self._draft(request, context["adminform"].form, obj, code, engine)
            else:
                messages.info(request, format_html('<a href="?language={}&amp;draft=1">{}</a>', code,
                                                   _("Draft the missing languages by machine")))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @staticmethod
    def _draft(request, form, obj, code, engine) -> None:
        default = settings.LANGUAGE_CODE
        try:
            drafts = {}
            for field in obj._parler_meta.get_all_fields():
                source = localized(obj, field, default)
                drafts[field] = engine.translate(source, default, code) if source else ""
        except TranslationError:
            messages.error(request, _("The translation service did not answer; nothing was drafted."))
            return
        form.initial.update(drafts)
        messages.warning(request, _("Machine-drafted in %(languages)s: read and correct it before you save.")
                         % {"languages": get_language_info(code)["name_local"]})
