import django_filters

from scf.api.filters import IntegerFilter, IsoDateTimeFilter
from scf.audit.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    action = django_filters.CharFilter()
    action_prefix = django_filters.CharFilter(field_name="action", lookup_expr="startswith")
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    organisation = IntegerFilter(field_name="organisation_id")
    actor = IntegerFilter(field_name="actor_id")
    since = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["action", "action_prefix", "object_type", "object_id", "organisation", "actor",
                  "since", "until"]
