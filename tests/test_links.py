"""The frame's links are kept once built, per application root: an app served under a path
prefix (SCRIPT_NAME, set by a proxy) links under it, and the same process serving the root
links without it."""


def test_kept_links_follow_the_application_root(client):
    under = client.get("/login", base_url="http://localhost/survey").text
    assert 'href="/survey/static/css/app.css"' in under
    at_root = client.get("/login").text
    assert 'href="/static/css/app.css"' in at_root and "/survey/" not in at_root
    again = client.get("/login", base_url="http://localhost/survey").text
    assert 'href="/survey/static/css/app.css"' in again


def test_links_with_arguments_are_built_for_each_one(operator):
    """A search's results each link to their own card (a link with an argument is never
    taken from the kept ones)."""
    import re
    page = operator.get("/contacts?q=Ко").text
    cards = re.findall(r'href="/contacts/(\d+)"', page)
    assert len(cards) > 1 and len(set(cards)) == len(cards)


def test_the_sockets_address_names_the_host_each_page_was_asked_on(operator):
    """The socket's address is absolute (ws://HOST/ws/calls): never kept from another host."""
    session = operator.get_cookie("session").value
    pages = []
    for host in ("one.example", "two.example"):
        operator.set_cookie("session", session, domain=host)
        pages.append(operator.get("/contacts", base_url=f"http://{host}").text)
    assert 'ws-connect="ws://one.example/ws/calls"' in pages[0]
    assert 'ws-connect="ws://two.example/ws/calls"' in pages[1]
