from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "portevoix.identity"
    label = "identity"

    def ready(self) -> None:
        from portevoix.accounts.login_routes import (
            login_route_register,
            logout_route_register,
            password_refusal_register,
        )
        from portevoix.identity.logout import sso_logout_url
        from portevoix.identity.routing import sso_hint, sso_password_refusal, sso_route

        login_route_register(route=sso_route, hint=sso_hint)
        logout_route_register(route=sso_logout_url)
        password_refusal_register(check=sso_password_refusal)
