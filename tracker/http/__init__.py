"""What the JSON API (tracker/api) and the HTML portal (tracker/web) share: who is asking,
the injected services, problem details, conditional reads and `?after` waiting. The two
never import each other; both import this."""
