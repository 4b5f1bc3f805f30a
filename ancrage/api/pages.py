"""The page where a user creates the token their scripts (R, Power BI, Excel) use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


@login_required
def token_page(request):
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "creer":
            Token.objects.create(user=request.user)
            messages.success(request, _("Nouveau jeton créé ; l'ancien ne fonctionne plus."))
        else:
            messages.success(
                request, _("Jeton supprimé : les scripts qui l'utilisent sont refusés.")
            )
        return redirect("api_pages:token")
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "api/token.html",
        {"token": token, "base": request.build_absolute_uri("/api/v1/")},
    )


app_name = "api_pages"
urlpatterns = [path("api/jeton/", token_page, name="token")]
