"""The named cast of web tests: a coordinator, a project manager of the first territory, an
outsider who manages the second one only, a funder with read-only access, an administrator and
an account with no role. Named after the territories: `cheffe_t1`, `cheffe_t2` on the small
programme, `cheffe_pcsg`, `cheffe_carene` on the demo programme."""

from django.contrib.auth import get_user_model

from ancrage.accounts.models import Membership, Role

PASSWORD = "mot-de-passe-2025"


def make_cast(programme, territories: tuple[str, str] = ("T1", "T2")) -> dict:
    users = {}
    first, second = (programme.territories.get(code=code) for code in territories)
    for name, role, managed in [
        ("coordination", Role.COORDINATOR, []),
        (f"cheffe_{first.code.lower()}", Role.PROJECT_MANAGER, [first]),
        (f"cheffe_{second.code.lower()}", Role.PROJECT_MANAGER, [second]),
        ("financeur", Role.VIEWER, []),
    ]:
        user = get_user_model().objects.create_user(name, password=PASSWORD)
        membership = Membership.objects.create(user=user, programme=programme, role=role)
        membership.territories.set(managed)
        users[name] = user
    users["admin"] = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    users["sans_role"] = get_user_model().objects.create_user("sans_role", password=PASSWORD)
    return users
