"""Camera registry pages: the list, one camera, the map, and the administrator's forms."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from apps.accounts.access import requires

from . import services
from .bindings import camera_account_bind, camera_accounts
from .disclosure import camera_as_disclosed, may_see_locations
from .forms import CameraAccountForm, CameraForm
from .hooks import camera_page_facts
from .models import Camera
from .selectors import cameras_visible_to


@requires("cameras.view_camera")
def camera_list(request):
    cameras = [camera_as_disclosed(c, request.user) for c in cameras_visible_to(request.user)]
    return render(
        request,
        "cameras/camera_list.html",
        {"cameras": cameras, "show_location": may_see_locations(request.user)},
    )


@requires("cameras.view_camera")
def camera_detail(request, code: str):
    camera = get_object_or_404(cameras_visible_to(request.user), code=code)
    return render(
        request,
        "cameras/camera_detail.html",
        {
            **{name: fact(camera) for name, fact in camera_page_facts.items()},
            # Last, so no fact of another app's can stand in for the camera as disclosed.
            "camera": camera_as_disclosed(camera, request.user),
            "review_due": camera.review_due,
        },
    )


@requires("cameras.view_camera", "cameras.view_camera_location")
def camera_map(request):
    markers = [
        camera_as_disclosed(c, request.user)
        for c in cameras_visible_to(request.user).filter(latitude__isnull=False)
    ]
    return render(request, "cameras/camera_map.html", {"markers": markers, "tile_url": settings.MAP_TILE_URL})


@requires("cameras.add_camera")
def camera_create(request):
    form = CameraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            camera = services.camera_create(**form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)  # the service's refusals name the form's fields
        else:
            messages.success(request, f"Camera {camera.code} registered.")
            return redirect("cameras:detail", code=camera.code)
    return _form_page(request, form, None)


@requires("cameras.change_camera")
def camera_edit(request, code: str):
    camera = get_object_or_404(cameras_visible_to(request.user), code=code)
    form = CameraForm(request.POST or None, instance=camera)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            camera = services.camera_update(camera=Camera.objects.get(pk=camera.pk), **data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Camera {camera.code} saved.")
            return redirect("cameras:detail", code=camera.code)
    return _form_page(request, form, camera)


def _form_page(request, form: CameraForm, camera: Camera | None):
    """The form again, with its errors; a refused change answers 400 as the API does."""
    context = {"form": form, "camera": camera}
    return render(request, "cameras/camera_form.html", context, status=400 if form.errors else 200)


@requires("accounts.view_user", "cameras.view_camera")
def account_list(request):
    """Machine accounts (cameras, gateways) and the cameras each may post reads for."""
    return render(request, "cameras/account_list.html", {"accounts": camera_accounts()})


@requires("accounts.change_user", "cameras.view_camera")
def account_binding(request, pk: int):
    account = get_object_or_404(camera_accounts(), pk=pk)
    binding = getattr(account, "camera_binding", None)
    initial = {
        "cameras": list(binding.cameras.values_list("code", flat=True)) if binding else [],
        "in_vehicle_unit": bool(binding and binding.in_vehicle_unit),
    }
    form = CameraAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        camera_account_bind(
            account=account,
            camera_codes=[camera.code for camera in form.cleaned_data["cameras"]],
            in_vehicle_unit=form.cleaned_data["in_vehicle_unit"],
            actor=request.user,
            request=request,
        )
        messages.success(
            request, f"{account.username} may now post for {len(form.cleaned_data['cameras'])} camera(s)."
        )
        return redirect("cameras:account", pk=pk)
    return render(request, "cameras/account_form.html", {"account": account, "form": form})
