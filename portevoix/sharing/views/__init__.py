"""The ambassador's pages: the feed (the home page), the share page of a post, my shares."""
