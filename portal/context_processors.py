from . import fragments
from .models import SiteSettings


def frame(request):
    """What every page's frame needs: the unit's editable settings (kept per content version)."""
    return {"site": fragments.kept("site-settings", SiteSettings.load, request)}
