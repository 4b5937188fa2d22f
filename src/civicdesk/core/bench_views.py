"""The bare view the intake benchmark compares against (only with CIVICDESK_BENCH=1)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from civicdesk.core.models import BenchRow


@csrf_exempt
def bare_insert(request):
    BenchRow.objects.create(payload=request.POST.get("payload", "")[:100])
    return HttpResponse("ok", content_type="text/plain")
