"""Integers from outside (URL ids, query parameters, hidden fields) are bounded: hostile ones are a 404 or
a page, never a 5xx or a database overflow (issue 23, finding 7)."""

import re

import pytest

from tests.conftest import office_id

HUGE_IDS = [str(2**31), str(2**63), "9" * 30, "9" * 4301]  # PostgreSQL's integer ends at 2**31 - 1
ODD_IDS = ["²", "٣", "-1", "1.0", "0x1"]


def int_routes(app):
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


def path_of(rule, value: str) -> str:
    """The route with every id replaced by `value` (and a real step slug and round action)."""
    path = re.sub(r"<int:\w+>", value, rule.rule)
    return path.replace("<slug>", "license").replace("<action>", "extend")


@pytest.mark.usefixtures("in_the_window")
@pytest.mark.parametrize("value", HUGE_IDS + ODD_IDS)
def test_an_id_out_of_range_is_a_404_for_everyone(demo_data, holder_client, admin, value):
    routes = list(int_routes(demo_data))
    assert len(routes) >= 10
    for rule in routes:
        path = path_of(rule, value)
        for client in (holder_client, admin, demo_data.test_client()):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method)
                assert response.status_code < 500, (method, path)
                if value in HUGE_IDS:
                    assert response.status_code in (302, 404), (method, path, response.status_code)


@pytest.mark.usefixtures("in_the_window")
@pytest.mark.parametrize("value", ["²", "٣", "-1", "0", str(2**31), "9121234567", "9" * 30, "9" * 4301, "1e3", ""])
@pytest.mark.parametrize("page", ["/admin/offices", "/admin/audit", "/admin/non-submitters"])
def test_odd_page_and_area_numbers_show_a_page(admin, page, value):
    response = admin.get(page, query_string={"page": value, "area": value})
    assert response.status_code in (200, 400), (page, value)


@pytest.mark.usefixtures("in_the_window")
@pytest.mark.parametrize("version", ["9" * 4301, "9" * 30, str(2**31), "²", "-1"])
def test_an_odd_version_is_a_conflict_kept_not_a_crash(holder_client, demo_data, version):
    from tests.declaration.test_declaration import PREMISES

    office = office_id(demo_data, "P-1038")
    holder_client.get(f"/declaration/{office}/premises")
    response = holder_client.post(f"/declaration/{office}/premises", data={**PREMISES, "version": version})
    assert response.status_code == 303 and "restore=" in response.headers["Location"]


@pytest.mark.usefixtures("in_the_window")
@pytest.mark.parametrize("digits", [19, 309, 400])
def test_a_count_with_very_many_digits_is_an_error_on_the_field(holder_client, demo_data, digits):
    from tests.declaration.test_declaration import PREMISES
    from tests.declaration.test_declaration import page
    from tests.declaration.test_declaration import save

    office = office_id(demo_data, "P-1038")
    response = save(holder_client, office, "premises", {**PREMISES, "floor_area": "9" * digits})
    assert response.status_code == 303
    shown = page(holder_client.get(response.headers["Location"]))
    assert shown.select_one("#floor_area-error") is not None or "عدد" in shown.select_one(".error-summary").get_text()


@pytest.mark.parametrize("body", [
    b"--X\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--X--\r\n",
    b"--X\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\nvalue\r\n--X--\r\n",
])
def test_a_multipart_part_without_a_name_is_a_400(csrf_app, body):
    response = csrf_app.test_client().post("/login", data=body, content_type="multipart/form-data; boundary=X")
    assert response.status_code == 400


@pytest.mark.usefixtures("in_the_window")
def test_a_very_long_office_search_is_a_page(admin):
    for text in ("ی" * 30_000, "9" * 60_000, "%_" * 20_000):
        assert admin.get("/admin/offices", query_string={"q": text}).status_code == 200
