"""The content hub's forms; they validate, the services save."""

from portevoix.content.forms.campaigns import CampaignForm, TopicForm
from portevoix.content.forms.compliance import ApprovalForm, ComplianceForm
from portevoix.content.forms.follows import FollowedTopicsForm
from portevoix.content.forms.posts import MessageForm, PostForm, message_formset
from portevoix.content.forms.suggestions import DeclineForm, SuggestionForm

__all__ = [
    "ApprovalForm",
    "CampaignForm",
    "ComplianceForm",
    "DeclineForm",
    "FollowedTopicsForm",
    "MessageForm",
    "PostForm",
    "SuggestionForm",
    "TopicForm",
    "message_formset",
]
