"""Reads of the gateway for the API: chain operations (intents) a user may see."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.permissions import is_member, reads_all_organisations
from scf.chain.models import ChainIntent


def operation_list(*, user) -> QuerySet[ChainIntent]:
    """Operations of the user's organisation (signed by its account or requested by its
    people); the platform operator and the regulator see all."""
    intents = ChainIntent.objects.select_related("sender", "requested_by").prefetch_related(
        "steps").order_by("-pk")
    if reads_all_organisations(user):
        return intents
    if not is_member(user):
        return intents.none()
    organisation = user.organisation
    return intents.filter(Q(sender_id=organisation.chain_account_id)
                          | Q(requested_by__organisation_id=organisation.pk))


def operation_get(*, user, pk: int) -> ChainIntent:
    return get_object_or_404(operation_list(user=user), pk=pk)
