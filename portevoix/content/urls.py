from django.urls import path

from portevoix.content.views import campaigns, compliance, follows, posts, suggestions, topics

app_name = "content"
urlpatterns = [
    path("", posts.post_list, name="posts"),
    path("posts/new/", posts.post_new, name="post_new"),
    path("posts/<int:post_id>/", posts.post_detail, name="post_detail"),
    path("posts/<int:post_id>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<int:post_id>/<str:action>/", posts.post_action, name="post_action"),
    path("preview/", posts.link_preview, name="link_preview"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/<int:topic_id>/delete/", topics.topic_delete, name="topic_delete"),
    path("topics/followed/", follows.topics_followed, name="topics_followed"),
    path("suggestions/", suggestions.suggestion_inbox, name="suggestions"),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        suggestions.suggestion_accept_view,
        name="suggestion_accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/decline/",
        suggestions.suggestion_decline_view,
        name="suggestion_decline",
    ),
    path("suggest/", suggestions.suggestion_new, name="suggestion_new"),
    path("suggest/mine/", suggestions.my_suggestions, name="my_suggestions"),
    path("compliance/", compliance.compliance_edit, name="compliance"),
    path("approval/", compliance.approval_edit, name="approval"),
]
