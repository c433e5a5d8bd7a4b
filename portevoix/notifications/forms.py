from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.core.forms import OneLineField
from portevoix.notifications.models import Channel, NotificationSettings


class ChannelForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("Incoming webhook URL"), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Channel
        fields = ["kind", "name", "webhook_url", "announce_posts", "announce_challenges"]
        field_classes = {"name": OneLineField}

    def clean_webhook_url(self) -> str:
        # The same guard as the delivery's: a webhook that could never be posted to (private
        # address, unknown host) is refused here, not discovered by the worker.
        try:
            return check_fetchable_url(self.cleaned_data["webhook_url"], https_only=True)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["digest_hour", "weekly_digest_day"]

    def clean_digest_hour(self) -> int:
        hour = self.cleaned_data["digest_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError(_("Choose an hour between 0 and 23."))
        return hour
