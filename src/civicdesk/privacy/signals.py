"""Hooks for the domains that hold personal data the privacy code does not import
(public meetings, reminders, area alerts): they answer a resident's export and erasure.

- `exporting`: receivers get `resident` and return {"section": data} for the export.
- `erasing`: receivers get `resident`, `emails` and `phones` (every address and number known
  for the resident) and remove or anonymise what they hold, in the erasure's transaction.
"""

from django.dispatch import Signal

exporting = Signal()
erasing = Signal()
