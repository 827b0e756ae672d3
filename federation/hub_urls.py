"""URLs of a deployment running as the hub (VERWIJSINDEX_ROLE=hub): the protocol and a status page, nothing else."""

from django.urls import path

from . import hub_views

app_name = "hub"

urlpatterns = [
    path("federation/v1/oprf/evaluate/", hub_views.oprf_evaluate, name="oprf_evaluate"),
    path("federation/v1/signals/register/", hub_views.signal_register, name="signal_register"),
    path("federation/v1/signals/withdraw/", hub_views.signal_withdraw, name="signal_withdraw"),
    path("federation/v1/keys/lookup/", hub_views.key_lookup, name="key_lookup"),
    path("federation/v1/notices/", hub_views.notices, name="notices"),
    path("federation/v1/exchange/", hub_views.exchange, name="exchange"),
    path("federation/v1/follow-up/", hub_views.follow_up, name="follow_up"),
    path("federation/v1/handover/propose/", hub_views.handover_propose, name="handover_propose"),
    path("federation/v1/handover/answer/", hub_views.handover_answer, name="handover_answer"),
    path("federation/v1/matches/coordinator/", hub_views.coordinator_decide, name="coordinator_decide"),
    path("federation/v1/rights/register/", hub_views.rights_request_register, name="rights_register"),
    path("federation/v1/rights/inquire/", hub_views.rights_inquire, name="rights_inquire"),
    path("status/", hub_views.status, name="status"),
]
