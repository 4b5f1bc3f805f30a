from .models import Programme


def programme_by_name(name: str | None) -> Programme:
    """The named programme, or the most recent one when no name is given."""
    queryset = Programme.objects.all()
    if name:
        return queryset.get(name=name)
    programme = queryset.order_by("-created_at", "-pk").first()
    if programme is None:
        raise Programme.DoesNotExist
    return programme
