from portevoix.notifications.transports.base import Message, Transport


class Slack(Transport):
    """Slack incoming webhooks: JSON with `text` (the fallback) and Block Kit `blocks`;
    Slack answers 200 `ok`."""

    kind = "slack"
    label = "Slack"

    def payload(self, message: Message) -> dict:
        fallback = f"{message.title}\n{message.text}\n{message.url}".strip()
        blocks: list[dict] = [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{message.title}*\n{message.text}".strip()},
            }
        ]
        if message.url:
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": message.link_label},
                            "url": message.url,
                        }
                    ],
                }
            )
        return {"text": fallback, "blocks": blocks}
