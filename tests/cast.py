"""The named cast of web tests: a coordinator, a project manager of T1, an outsider who manages
T2 only, a funder with read-only access."""

from django.contrib.auth import get_user_model

from ancrage.accounts.models import Membership, Role


def make_cast(programme) -> dict:
    users = {}
    t1, t2 = programme.territories.get(code="T1"), programme.territories.get(code="T2")
    for name, role, territories in [
        ("coordination", Role.COORDINATOR, []),
        ("cheffe_t1", Role.PROJECT_MANAGER, [t1]),
        ("cheffe_t2", Role.PROJECT_MANAGER, [t2]),
        ("financeur", Role.VIEWER, []),
    ]:
        user = get_user_model().objects.create_user(name, password="mot-de-passe-2025")
        membership = Membership.objects.create(user=user, programme=programme, role=role)
        membership.territories.set(territories)
        users[name] = user
    return users
