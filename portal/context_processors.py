from .models import SiteSettings


def frame(request):
    """What every page's frame needs: the unit's editable settings."""
    return {"site": SiteSettings.load()}
