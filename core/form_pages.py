"""Pages whose form performs an action: GET shows the form, a valid POST acts, a refusal shows on the form."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render


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
    form.add_error(field if field in form.fields else None, str(getattr(error, "message", error)))


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


def form_action(
    request,
    form,
    *,
    action: Callable[[dict], Any],
    done: str | Callable[[Any], str] | None,
    then: str | Callable[[Any], HttpResponse],
    template: str,
    context: dict | Callable[[], dict],
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> HttpResponse:
    """The page of a form that performs one service call: the shape "form, act, message, redirect" in one call.

    On a valid POST: `action(form.cleaned_data)`, then the success message `done` (None: a step of a flow that
    says nothing) and a redirect to `then` (a URL name, or a function of the action's result for either). A
    refusal shows on the form, as in `form_page`.
    """

    def act() -> HttpResponse:
        result = action(form.cleaned_data)
        if done is not None:
            messages.success(request, done(result) if callable(done) else done)
        return then(result) if callable(then) else redirect(then)

    return form_page(request, form, act=act, template=template, context=context, refusals=refusals)
