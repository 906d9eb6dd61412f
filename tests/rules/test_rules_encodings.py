"""Decoding an uploaded CSV: every encoding Excel and Persian Windows save, or a name for what it seems to be."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules.encodings import UnknownEncoding
from wizard.rules.encodings import decode
from wizard.rules.encodings import delimiter

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)
TEXT = "national_code,full_name\n0012345679,مریم احمدی\n0499370899,کاوه پژمان\n"
WINDOWS = TEXT.replace("ی", "ي")  # Windows-1256 has no Persian yeh: Excel saves the Arabic one
TABS = TEXT.replace(",", "\t")


@pytest.mark.parametrize(("data", "encoding", "text"), [
    (TEXT.encode("utf-8"), "utf-8", TEXT),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-bom", TEXT),
    (TEXT.encode("utf-16"), "utf-16-le", TEXT),  # Python's utf-16: a BOM, little-endian here
    (b"\xff\xfe" + TABS.encode("utf-16-le"), "utf-16-le", TABS),  # Excel's "Unicode text"
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", TEXT),
    (TEXT.encode("utf-16-le"), "utf-16-le", TEXT),  # no BOM
    (TEXT.encode("utf-16-be"), "utf-16-be", TEXT),
    (WINDOWS.encode("cp1256"), "windows-1256", WINDOWS),
    ("a,b\n1,2\n".encode("ascii"), "utf-8", "a,b\n1,2\n"),
    (b"", "utf-8", ""),
])
def test_decodes(data, encoding, text):
    decoded = decode(data)
    assert (decoded.encoding, decoded.text) == (encoding, text)


@pytest.mark.parametrize(("data", "kind", "line"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "xlsx", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls", None),
    (b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"), "utf-32", None),
    (TEXT.encode("utf-8") + "\nکاوه,".encode("cp1256") + b"\n", "utf-8-damaged", 5),
    ("name,city\nJosé,Besançon\nRenée,Zürich\n".encode("cp1252"), "windows-1252", None),
    (b"\x00\x01\x02\x03\xff\xfe\xfd", "binary", None),
])
def test_names_what_it_cannot_read(data, kind, line):
    with pytest.raises(UnknownEncoding) as refused:
        decode(data)
    assert (refused.value.kind, refused.value.line) == (kind, line)


@pytest.mark.parametrize(("text", "found"), [
    ("a,b,c\n1;2", ","), ("a\tb\tc\n", "\t"), ("a;b;c\n", ";"), ("a\n", ","), ("", ","),
    ("\ufeffa;b\n", ";"), ("name,note\tx\n", ","),
])
def test_delimiter(text, found):
    assert delimiter(text) == found


PERSIAN = st.text(alphabet="آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهي ,\n0123456789", max_size=300)


@SETTINGS
@given(PERSIAN, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"]))
def test_any_persian_text_comes_back_as_it_was(text, codec):
    decoded = decode(text.encode(codec))
    assert decoded.text == text
