from portevoix.notifications.transports.base import Message, Transport


class Teams(Transport):
    """Microsoft Teams incoming webhooks (Workflows): a message carrying an Adaptive Card;
    Teams answers 200 or 202."""

    kind = "teams"
    label = "Microsoft Teams"

    accepted_statuses = {200, 202}

    def payload(self, message: Message) -> dict:
        card: dict = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                {
                    "type": "TextBlock",
                    "text": message.title,
                    "weight": "Bolder",
                    "size": "Medium",
                    "wrap": True,
                },
                {"type": "TextBlock", "text": message.text, "wrap": True},
            ],
        }
        if message.url:
            card["actions"] = [
                {"type": "Action.OpenUrl", "title": message.link_label, "url": message.url}
            ]
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
