"""Pages whose form performs an action: GET shows the form, a valid POST acts, a refusal shows on the form."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


def form_data(request):
    """The posted data, also when a form is posted empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def refusal_show(form, error: Exception) -> None:
    """Show a service's refusal on the form: next to the field it names (`error.field`), else above the form.

    A ValidationError shows each of its messages; any other refusal its `message` (the user-facing text).
    """
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
        return
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error.message))


def form_page(
    request,
    form,
    *,
    act: Callable[[], HttpResponse | None],
    template: str,
    context: dict | Callable[[], dict],
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> HttpResponse:
    """Show `form` on `template`; on a valid POST call `act()` and return its response (a redirect, mostly).

    When `act` raises one of `refusals`, the refusal is shown on the form and the page is shown again, as
    it is when `act` returns None or the form has errors. `context` may be a callable, so that what the
    page shows is read after the action was tried.
    """
    if request.method == "POST" and form.is_valid():
        try:
            response = act()
        except refusals as error:
            refusal_show(form, error)
        else:
            if response is not None:
                return response
    page_context = context() if callable(context) else context
    return render(request, template, {**page_context, "form": form})
