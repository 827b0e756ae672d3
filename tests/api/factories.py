from api.services import api_client_create


def api_client_with_token(organisation, **kwargs):
    """An API client of the organisation and its `Authorization` header value."""
    client, token = api_client_create(organisation=organisation, name=kwargs.pop("name", "CRS"), **kwargs)
    return client, f"Bearer {token}"
