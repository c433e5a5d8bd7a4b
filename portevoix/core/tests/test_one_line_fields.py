"""Every single-line title or name people enter is stored on one line: a line break in a
challenge title once stopped every e-mail of that challenge (mail headers refuse them)."""

import importlib

import pytest

from portevoix.core.forms import OneLineField, one_line

PASTED = "  Défi\r\nde\tdécembre \n\n Bcc: x@y.example\u2028fin "
ONE_LINE = "Défi de décembre Bcc: x@y.example fin"

FIELDS = [  # module, form, field
    ("portevoix.academy.forms", "LessonForm", "title"),
    ("portevoix.accounts.forms", "CharterForm", "title"),
    ("portevoix.accounts.forms", "GroupForm", "name"),
    ("portevoix.content.forms.campaigns", "CampaignForm", "name"),
    ("portevoix.content.forms.campaigns", "TopicForm", "name"),
    ("portevoix.content.forms.posts", "PostForm", "title"),
    ("portevoix.content.forms.posts", "PostForm", "preview_title"),
    ("portevoix.gamification.forms", "ChallengeForm", "title"),
    ("portevoix.gamification.forms", "ChallengeForm", "reward"),
    ("portevoix.notifications.forms", "ChannelForm", "name"),
    ("portevoix.tracking.forms", "ConversionKeyForm", "name"),
    ("portevoix.veille.forms", "SourceForm", "name"),
    ("portevoix.veille.forms", "WatchForm", "name"),
]


def test_one_line_joins_every_kind_of_line_break_and_space():
    assert one_line(PASTED) == ONE_LINE
    assert one_line("\r\n\t ") == ""


@pytest.mark.parametrize("module,form,field", FIELDS)
def test_each_title_and_name_field_is_made_one_line(db, module, form, field):
    form_class = getattr(importlib.import_module(module), form)
    form_field = form_class().fields[field]
    assert isinstance(form_field, OneLineField)
    assert form_field.clean(PASTED) == ONE_LINE


def test_a_title_of_only_line_breaks_is_an_empty_title():
    field = OneLineField(max_length=10)
    with pytest.raises(Exception, match="required|obligatoire"):
        field.clean("\r\n \t")


def test_the_length_limit_applies_to_the_one_line_text():
    assert OneLineField(max_length=9).clean("Défi\r\n\r\n\r\n2026") == "Défi 2026"
